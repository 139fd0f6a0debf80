#include "shop-reference/common/ops_server.h"

#include "shop-reference/common/shop_metrics.h"

namespace shop {
namespace {

namespace http = boost::beast::http;
using stampede::http::make_response;
using stampede::http::Reply;
using stampede::http::Request;

Reply text(const Request& request, http::status status, std::string body) {
  return Reply{make_response(request, status, "text/plain; charset=utf-8", std::move(body))};
}

Reply json(const Request& request, http::status status, std::string body) {
  return Reply{make_response(request, status, "application/json", std::move(body))};
}

// Constant-time comparison, so the token cannot be guessed byte by byte from timings.
bool same_token(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// The token may come in either header; both are compared, so the time taken does not tell
// which one was tried.
bool authorized(const Request& request, const std::string& token) {
  if (token.empty()) return false;
  constexpr std::string_view kBearer = "Bearer ";
  std::string_view auth = stampede::http::to_std(request[http::field::authorization]);
  bool bearer =
      auth.substr(0, kBearer.size()) == kBearer && same_token(auth.substr(kBearer.size()), token);
  bool header = same_token(stampede::http::to_std(request["X-Admin-Token"]), token);
  return bearer || header;
}

}  // namespace

std::optional<Reply> handle_admin(const Request& request, Faults& faults,
                                  const std::string& token) {
  std::string_view target(request.target().data(), request.target().size());
  std::string_view path = target.substr(0, target.find('?'));
  if (path != "/admin/faults") return std::nullopt;
  if (!authorized(request, token)) {
    Reply r = text(request, http::status::unauthorized,
                   "missing or wrong admin token (Authorization: Bearer <token> or "
                   "X-Admin-Token: <token>)\n");
    r.response.set(http::field::www_authenticate, "Bearer");
    return r;
  }
  switch (request.method()) {
    case http::verb::get:
      return json(request, http::status::ok, to_json(faults.get()) + "\n");
    case http::verb::put:
    case http::verb::post: {
      auto patched = apply_fault_patch(faults.get(), request.body());
      if (!patched.ok()) {
        return text(request, http::status::bad_request, patched.error().message() + "\n");
      }
      faults.set(patched.value());
      return json(request, http::status::ok, to_json(patched.value()) + "\n");
    }
    case http::verb::delete_:
      faults.set(FaultSpec{});
      return json(request, http::status::ok, to_json(FaultSpec{}) + "\n");
    default: {
      Reply r = text(request, http::status::method_not_allowed, "use GET, PUT, POST or DELETE\n");
      r.response.set(http::field::allow, "GET, PUT, POST, DELETE");
      return r;
    }
  }
}

std::optional<Reply> handle_ops(const Request& request, const ServerRuntime& runtime) {
  std::string_view target(request.target().data(), request.target().size());
  std::string_view path = target.substr(0, target.find('?'));
  bool read = request.method() == http::verb::get || request.method() == http::verb::head;
  if (path == "/metrics" && read) {
    return Reply{make_response(request, http::status::ok,
                               "text/plain; version=0.0.4; charset=utf-8", registry().render())};
  }
  if (path == "/_healthz" && read) {
    if (runtime.faults().hang("/_healthz")) return Reply{{}, /*hang=*/true};
    return text(request, http::status::ok, "ok");
  }
  if (path == "/readyz" && read) {
    if (runtime.faults().hang("/readyz")) return Reply{{}, /*hang=*/true};
    return runtime.ready() ? text(request, http::status::ok, "ready\n")
                           : text(request, http::status::service_unavailable, "not ready\n");
  }
  return std::nullopt;
}

stampede::Result<std::unique_ptr<OpsServer>> OpsServer::start(const ServiceEnv& env,
                                                              ServerRuntime& runtime,
                                                              bool metrics_listener) {
  std::unique_ptr<OpsServer> ops(new OpsServer());
  if (metrics_listener) {
    stampede::http::ServerOptions options;
    options.bind = env.listen_addr;
    options.port = env.metrics_port;
    auto server = stampede::http::Server::start(
        options, [&runtime](const Request& request, const stampede::http::Peer&) {
          if (auto reply = handle_ops(request, runtime)) return std::move(*reply);
          return text(request, http::status::not_found, "not found\n");
        });
    if (!server.ok()) return server.error().with_context("METRICS_PORT");
    ops->metrics_ = std::move(server.value());
  }
  if (!env.admin_token.empty()) {
    stampede::http::ServerOptions options;
    options.bind = env.admin_listen_addr;
    options.port = env.admin_port;
    std::string token = env.admin_token;
    auto server = stampede::http::Server::start(
        options, [&runtime, token](const Request& request, const stampede::http::Peer&) {
          if (auto reply = handle_admin(request, runtime.faults(), token)) {
            return std::move(*reply);
          }
          return text(request, http::status::not_found, "not found\n");
        });
    if (!server.ok()) return server.error().with_context("ADMIN_LISTEN_ADDR/ADMIN_PORT");
    ops->admin_ = std::move(server.value());
  }
  return ops;
}

uint16_t OpsServer::metrics_port() const {
  return metrics_ ? metrics_->port() : 0;
}
uint16_t OpsServer::admin_port() const {
  return admin_ ? admin_->port() : 0;
}

void OpsServer::shutdown() {
  if (metrics_) metrics_->shutdown(std::chrono::milliseconds(500));
  if (admin_) admin_->shutdown(std::chrono::milliseconds(500));
}

}  // namespace shop
