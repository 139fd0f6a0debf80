#include "shop-reference/common/server_runtime.h"

#include "shop-reference/common/grpc_codes.h"
#include "shop-reference/common/shop_metrics.h"

namespace shop {
namespace {

stampede::prometheus::Family<stampede::prometheus::Counter>& requests_family() {
  static auto& f =
      registry().counter("shop_grpc_requests_total",
                         "gRPC requests served, by method and status code.", {"method", "code"});
  return f;
}

stampede::prometheus::Family<stampede::prometheus::Histogram>& latency_family() {
  static auto& f =
      registry().histogram("shop_grpc_request_duration_seconds",
                           "Time to serve a gRPC request, faults included.", {"method"});
  return f;
}

stampede::prometheus::Family<stampede::prometheus::Counter>& injected_family() {
  static auto& f = registry().counter("shop_faults_injected_total",
                                      "Requests a fault knob acted on, by kind.", {"kind"});
  return f;
}

}  // namespace

ServerRuntime::ServerRuntime(std::string service) : service_(std::move(service)) {
  // Present from the first scrape on, before any request created a labelled series.
  registry()
      .gauge("shop_build_info", "Which shop service this process runs; always 1.",
             {"service", "version"})
      .with({service_, kShopServiceVersion})
      .set(1);
  auto now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch());
  registry()
      .gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
      .with({})
      .set(now.count());
}

bool ServerRuntime::ready() const {
  if (shutting_down() || faults_.unhealthy()) return false;
  return !readiness_ || readiness_();
}

bool ServerRuntime::inject(grpc::ServerContext* context, std::string_view method,
                           grpc::Status& status) {
  FaultDecision d = faults_.decide(method);
  // A hung request is abandoned on shutdown (a real hang would be killed with the process); an
  // injected delay is part of the request's normal time and is drained like any other work.
  auto gone = [&] { return context->IsCancelled() || shutting_down(); };
  auto cancelled = [&] { return context->IsCancelled(); };
  if (d.crash) crash_now(service_ + "/" + std::string(method));
  if (d.hang) {
    injected_family().with({"hang"}).inc();
    if (!wait_while_hung(faults_, method, gone)) {
      status = grpc::Status(grpc::CANCELLED, "request abandoned while hung (fault)");
      return true;
    }
  }
  if (d.delay.count() > 0) {
    injected_family().with({"latency"}).inc();
    if (!wait_for(d.delay, cancelled)) {
      status = grpc::Status(grpc::CANCELLED, "request abandoned during injected latency");
      return true;
    }
  }
  if (d.burn.count() > 0) {
    injected_family().with({"cpu_burn"}).inc();
    burn_cpu(d.burn);
  }
  if (d.fail) {
    injected_family().with({"error"}).inc();
    status = grpc::Status(grpc::UNAVAILABLE, "injected fault: " + service_ + " error");
    return true;
  }
  return false;
}

void ServerRuntime::record(std::string_view method, const grpc::Status& status,
                           std::chrono::steady_clock::time_point started) {
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  std::string m(method);
  requests_family().with({m, grpc_code_name(status.error_code())}).inc();
  latency_family().with({m}).observe(took.count());
}

}  // namespace shop
