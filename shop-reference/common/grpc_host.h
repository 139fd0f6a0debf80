// Runs one gRPC service as a process: reads the environment, builds the service, serves it with
// grpc.health.v1 and the ops endpoints, and shuts down gracefully on SIGTERM or SIGINT.
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "shop-reference/common/env.h"
#include "shop-reference/common/server_runtime.h"

namespace shop {

// Exit codes of every shop service process (also in shop-reference/README.md).
inline constexpr int kExitOk = 0;           // stopped by SIGTERM/SIGINT after a graceful drain
inline constexpr int kExitConfig = 2;       // bad or missing environment (message names it)
inline constexpr int kExitListen = 3;       // a port could not be bound
inline constexpr int kExitCrashFault = 70;  // the crash knob fired

// The services one process serves, built once the environment is read.
struct BuiltServices {
  std::vector<std::unique_ptr<grpc::Service>> services;
  // Fully qualified names answered by grpc.health.v1 besides "" (e.g. "hipstershop.CartService").
  std::vector<std::string> health_names;
};

struct GrpcServiceSpec {
  std::string name;       // "cart": the log and metrics name, and the shop subcommand
  uint16_t default_port;  // Online Boutique's port for it
  // Builds the services; errors (e.g. a missing *_SERVICE_ADDR) stop the start with kExitConfig.
  // May set a readiness check on the runtime.
  std::function<stampede::Result<BuiltServices>(const Env&, ServerRuntime&)> build;
};

// Serves until SIGTERM/SIGINT. Call block_termination_signals() first. Returns an exit code:
// kExitOk, kExitConfig or kExitListen (each failure logged with its reason).
int run_grpc_service(const GrpcServiceSpec& spec, const Env& env);

}  // namespace shop
