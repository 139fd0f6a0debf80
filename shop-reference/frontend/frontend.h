// The frontend application, independent of signals and the process environment: its backends,
// readiness and route table, built from a FrontendConfig. run_frontend() and the tests both
// construct it and serve handle() with a stampede::http::Server.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/http/server.h"
#include "common/result.h"
#include "shop-reference/common/server_runtime.h"
#include "shop-reference/frontend/backends.h"
#include "shop-reference/frontend/frontend_config.h"
#include "shop-reference/frontend/readiness.h"
#include "shop-reference/frontend/router.h"

namespace shop {

// Owns the backends' clients (channels connect lazily, so construction never fails). The
// runtime must outlive it. handle() is thread-safe.
class Frontend {
 public:
  Frontend(const FrontendConfig& config, ServerRuntime& runtime);
  Frontend(const Frontend&) = delete;
  Frontend& operator=(const Frontend&) = delete;

  // Answers one request (the server's Handler).
  stampede::http::Reply handle(const stampede::http::Request& request) {
    return router_.handle(request);
  }

  // Starts an HTTP server for handle() on bind:port (port 0: any) with the configured handler
  // threads. The frontend must outlive the server. Errors name the address.
  stampede::Result<std::unique_ptr<stampede::http::Server>> listen(const std::string& bind,
                                                                   uint16_t port);

 private:
  void add_routes();
  // GET /readyz: 200 "ready" or 503 with what is not (see Readiness).
  Response readyz(RequestContext& ctx);

  ServerRuntime& runtime_;
  const FrontendConfig config_;
  Backends backends_;
  Readiness readiness_;
  Router router_;
};

}  // namespace shop
