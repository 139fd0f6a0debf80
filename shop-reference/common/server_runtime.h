// What every gRPC handler of a service process shares: the fault knobs, the shutdown flag,
// readiness, and the request metrics. serve() wraps each handler body.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "shop-reference/common/faults.h"

namespace shop {

// The version every service reports in shop_build_info.
inline constexpr const char* kShopServiceVersion = "0.1.0";

// One per process, created before the services and outliving them. Thread-safe.
class ServerRuntime {
 public:
  explicit ServerRuntime(std::string service);
  ServerRuntime(const ServerRuntime&) = delete;
  ServerRuntime& operator=(const ServerRuntime&) = delete;

  const std::string& service() const { return service_; }
  Faults& faults() { return faults_; }
  const Faults& faults() const { return faults_; }

  // Readiness beyond the knobs (e.g. the cart's store is reachable). Set before serving.
  void set_readiness_check(std::function<bool()> check) { readiness_ = std::move(check); }
  // Serving: not shutting down, not marked unhealthy, and the readiness check passes.
  bool ready() const;
  void begin_shutdown() { shutting_down_.store(true, std::memory_order_relaxed); }
  bool shutting_down() const { return shutting_down_.load(std::memory_order_relaxed); }

  // Runs one request: applies the fault knobs (crash, hang, latency, CPU burn, injected error),
  // then `body()` -> grpc::Status, and records shop_grpc_requests_total{method,code} and
  // shop_grpc_request_duration_seconds{method}. A hung or delayed request ends early with
  // CANCELLED when the client goes away or the process shuts down.
  template <class Body>
  grpc::Status serve(grpc::ServerContext* context, std::string_view method, Body&& body) {
    auto started = std::chrono::steady_clock::now();
    grpc::Status status;
    if (!inject(context, method, status)) status = body();
    record(method, status, started);
    return status;
  }

 private:
  // Applies the knobs; true when they decided the outcome (stored in `status`).
  bool inject(grpc::ServerContext* context, std::string_view method, grpc::Status& status);
  void record(std::string_view method, const grpc::Status& status,
              std::chrono::steady_clock::time_point started);

  const std::string service_;
  Faults faults_;
  std::function<bool()> readiness_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace shop
