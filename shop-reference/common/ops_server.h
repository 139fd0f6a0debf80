// The ops endpoints of a shop process:
//   metrics listener (LISTEN_ADDR:METRICS_PORT): GET /metrics (Prometheus text), GET /_healthz
//     (liveness: "ok", calls nothing; hangs under the hang knob), GET /readyz (200 ready / 503).
//   admin listener (ADMIN_LISTEN_ADDR:ADMIN_PORT, 127.0.0.1 by default; only when ADMIN_TOKEN is
//     set): the fault knobs, GET|PUT|POST|DELETE /admin/faults with the token in
//     "Authorization: Bearer <ADMIN_TOKEN>" or "X-Admin-Token: <ADMIN_TOKEN>" (kube-apiserver's
//     pods/proxy drops the Authorization header it authenticated, so callers through it use the
//     second).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/http/server.h"
#include "common/result.h"
#include "shop-reference/common/server_runtime.h"
#include "shop-reference/common/service_env.h"

namespace shop {

// Answers /admin/faults (GET: the knobs as JSON; PUT/POST: a JSON patch of knobs; DELETE: all
// off) or nullopt for other paths. 401 unless the bearer token or X-Admin-Token header is the
// right token (compared in constant time), 400 for a bad patch (the message names the knob), 405
// for other methods.
std::optional<stampede::http::Reply> handle_admin(const stampede::http::Request& request,
                                                  Faults& faults, const std::string& token);
// Answers GET /metrics, /_healthz and /readyz, or nullopt for other paths.
std::optional<stampede::http::Reply> handle_ops(const stampede::http::Request& request,
                                                const ServerRuntime& runtime);

// Owns the two listeners. The runtime must outlive it.
class OpsServer {
 public:
  // Starts the admin listener on env.admin_listen_addr when env.admin_token is set, and the
  // metrics listener on env.listen_addr when `metrics_listener` (the frontend serves /metrics on
  // its own port instead). Errors name the variable and the address that could not be bound.
  static stampede::Result<std::unique_ptr<OpsServer>> start(const ServiceEnv& env,
                                                            ServerRuntime& runtime,
                                                            bool metrics_listener);
  // 0 when that listener is off.
  uint16_t metrics_port() const;
  uint16_t admin_port() const;
  void shutdown();

 private:
  OpsServer() = default;
  std::unique_ptr<stampede::http::Server> metrics_;
  std::unique_ptr<stampede::http::Server> admin_;
};

}  // namespace shop
