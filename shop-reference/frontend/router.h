// Dispatch for the frontend: matches the path against route patterns ("/product/{id}"),
// applies the fault knobs, reads the session, calls the handler for the method (GET also
// answers HEAD; other methods get 405 with Allow), sets cookies, and records
// shop_http_requests_total{route,code} and shop_http_request_duration_seconds{route} with the
// pattern as the route label ("unmatched" for 404s).
#pragma once

#include <boost/beast/http/verb.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/http/server.h"
#include "shop-reference/common/server_runtime.h"
#include "shop-reference/frontend/request_context.h"

namespace shop {

using RouteHandler = std::function<Response(RequestContext&)>;

struct Route {
  std::string pattern;  // literal segments and "{name}" placeholders for one segment each
  RouteKind kind = RouteKind::kPage;
  std::vector<std::pair<boost::beast::http::verb, RouteHandler>> methods;
};

// The raw (still percent-encoded) segments matched by placeholders, or nullopt when `path` does
// not match `pattern`. A placeholder matches one non-empty segment.
std::optional<std::vector<std::string>> match_route(std::string_view pattern,
                                                    std::string_view path);

// Routes are added before serving; handle() is then thread-safe (the table is read-only). The
// runtime must outlive the router.
class Router {
 public:
  explicit Router(ServerRuntime& runtime) : runtime_(runtime) {}

  void add(Route route) { routes_.push_back(std::move(route)); }
  // Answers one request; never throws (a throwing handler becomes a 500).
  stampede::http::Reply handle(const stampede::http::Request& request);

 private:
  // Fault knobs for one request: a reply when they decide the outcome.
  std::optional<stampede::http::Reply> apply_faults(RequestContext& ctx, const std::string& label);
  Response dispatch(const Route* route, RequestContext& ctx, std::string_view path,
                    std::string_view query, std::vector<std::string> raw_params);

  ServerRuntime& runtime_;
  std::vector<Route> routes_;
};

}  // namespace shop
