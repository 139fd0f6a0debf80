#include "shop-reference/common/grpc_host.h"

#include <set>
#include <thread>

#include "shop-reference/common/health_service.h"
#include "shop-reference/common/log.h"
#include "shop-reference/common/ops_server.h"
#include "shop-reference/common/service_env.h"
#include "shop-reference/common/signals.h"

namespace shop {

int run_grpc_service(const GrpcServiceSpec& spec, const Env& env) {
  set_log_service(spec.name);
  auto service_env = read_service_env(env, spec.default_port);
  if (!service_env.ok()) {
    log_error(service_env.error().message());
    return kExitConfig;
  }
  const ServiceEnv& senv = service_env.value();
  ServerRuntime runtime(spec.name);
  runtime.faults().set(senv.faults);

  auto built = spec.build(env, runtime);
  if (!built.ok()) {
    log_error(built.error().message());
    return kExitConfig;
  }
  std::set<std::string> names(built.value().health_names.begin(), built.value().health_names.end());
  HealthService health(runtime, names);

  grpc::ServerBuilder builder;
  int bound_port = 0;
  std::string address = senv.listen_addr + ":" + std::to_string(senv.port);
  if (senv.listen_addr.find(':') != std::string::npos) {
    address = "[" + senv.listen_addr + "]:" + std::to_string(senv.port);
  }
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &bound_port);
  builder.RegisterService(&health);
  for (auto& service : built.value().services) builder.RegisterService(service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || bound_port == 0) {
    log_error("cannot listen on " + address + " (PORT/LISTEN_ADDR)");
    return kExitListen;
  }

  auto ops = OpsServer::start(senv, runtime, /*metrics_listener=*/true);
  if (!ops.ok()) {
    log_error(ops.error().message());
    server->Shutdown(std::chrono::system_clock::now());
    return kExitListen;
  }
  if (!senv.port_file.empty()) {
    auto written = write_port_file(senv.port_file, spec.name, static_cast<uint16_t>(bound_port),
                                   ops.value()->metrics_port(), ops.value()->admin_port());
    if (!written.ok()) {
      log_error(written.error().message());
      ops.value()->shutdown();
      server->Shutdown(std::chrono::system_clock::now());
      return kExitConfig;
    }
  }
  log_info("serving on " + senv.listen_addr + ":" + std::to_string(bound_port) + " (metrics " +
           std::to_string(ops.value()->metrics_port()) + ", admin " +
           (senv.admin_token.empty()
                ? std::string("off")
                : senv.admin_listen_addr + ":" + std::to_string(ops.value()->admin_port())) +
           ")");

  int sig = wait_for_termination_signal();
  // Readiness goes first, so that load balancers stop sending before the listener closes.
  runtime.begin_shutdown();
  log_info("signal " + std::to_string(sig) + ": not serving; draining for up to " +
           std::to_string(senv.shutdown_grace.count()) + " ms");
  if (senv.shutdown_delay.count() > 0) std::this_thread::sleep_for(senv.shutdown_delay);
  server->Shutdown(std::chrono::system_clock::now() + senv.shutdown_grace);
  server->Wait();
  ops.value()->shutdown();
  log_info("stopped");
  return kExitOk;
}

}  // namespace shop
