#include "shop-reference/frontend/frontend_main.h"

#include <thread>

#include "shop-reference/common/grpc_host.h"
#include "shop-reference/common/log.h"
#include "shop-reference/common/ops_server.h"
#include "shop-reference/common/service_env.h"
#include "shop-reference/common/signals.h"
#include "shop-reference/frontend/frontend.h"

namespace shop {
namespace {

constexpr uint16_t kFrontendPort = 8080;  // Online Boutique's

}  // namespace

int run_frontend(const Env& env) {
  set_log_service("frontend");
  auto service_env = read_service_env(env, kFrontendPort);
  if (!service_env.ok()) {
    log_error(service_env.error().message());
    return kExitConfig;
  }
  const ServiceEnv& senv = service_env.value();
  auto config = frontend_config_from_env(env);
  if (!config.ok()) {
    log_error(config.error().message());
    return kExitConfig;
  }
  ServerRuntime runtime("frontend");
  runtime.faults().set(senv.faults);
  Frontend frontend(config.value(), runtime);

  auto server = frontend.listen(senv.listen_addr, senv.port);
  if (!server.ok()) {
    log_error(server.error().with_context("PORT/LISTEN_ADDR").message());
    return kExitListen;
  }
  // /metrics, /_healthz and /readyz are on the main port; the ops server only hosts the admin
  // endpoint.
  auto ops = OpsServer::start(senv, runtime, /*metrics_listener=*/false);
  if (!ops.ok()) {
    log_error(ops.error().message());
    server.value()->shutdown(std::chrono::milliseconds(0));
    return kExitListen;
  }
  uint16_t port = server.value()->port();
  if (!senv.port_file.empty()) {
    auto written =
        write_port_file(senv.port_file, "frontend", port, port, ops.value()->admin_port());
    if (!written.ok()) {
      log_error(written.error().message());
      ops.value()->shutdown();
      server.value()->shutdown(std::chrono::milliseconds(0));
      return kExitConfig;
    }
  }
  log_info("serving on " + senv.listen_addr + ":" + std::to_string(port) + " (admin " +
           (senv.admin_token.empty()
                ? std::string("off")
                : senv.admin_listen_addr + ":" + std::to_string(ops.value()->admin_port())) +
           ", " + std::to_string(config.value().handler_threads) + " handler threads)");

  int sig = wait_for_termination_signal();
  // Readiness goes first, so that load balancers stop sending before the listener closes.
  runtime.begin_shutdown();
  log_info("signal " + std::to_string(sig) + ": not ready; draining for up to " +
           std::to_string(senv.shutdown_grace.count()) + " ms");
  if (senv.shutdown_delay.count() > 0) std::this_thread::sleep_for(senv.shutdown_delay);
  server.value()->shutdown(senv.shutdown_grace);
  ops.value()->shutdown();
  log_info("stopped");
  return kExitOk;
}

}  // namespace shop
