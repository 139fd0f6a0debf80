// The local runtime's control API (docs/local-runtime-api.md) on 127.0.0.1: bearer-token
// checked, JSON in and out; reads and actions go to the runtime's control thread through
// Runtime::call(). Fault-knob calls to pods are made from the handler threads.
// Thread-safe; stop() must not be called from a handler.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/http/server.h"
#include "common/result.h"
#include "targets/local/runtime/runtime.h"

namespace stampede::local {

// Answers one API request. `on_shutdown` is called (once per request, from a handler thread)
// for POST /v1/shutdown after the answer is built; it must only signal, not stop the server.
// Requests whose path is not under /v1 go to `other` (the Kubernetes API, which checks the
// token itself); without it they are 404.
http::Handler make_api_handler(Runtime& runtime, std::string token,
                               std::function<void()> on_shutdown, http::Handler other = nullptr);

class ApiServer {
 public:
  // Binds 127.0.0.1:`port` (0: any free port); paths outside /v1 go to `other` (see
  // make_api_handler). Errors name the address.
  static Result<std::unique_ptr<ApiServer>> start(Runtime& runtime, std::string token,
                                                  std::function<void()> on_shutdown,
                                                  uint16_t port = 0, http::Handler other = nullptr);
  uint16_t port() const { return server_->port(); }
  // Stops accepting and finishes requests in flight; idempotent.
  void stop();

 private:
  explicit ApiServer(std::unique_ptr<http::Server> server) : server_(std::move(server)) {}
  std::unique_ptr<http::Server> server_;
};

}  // namespace stampede::local
