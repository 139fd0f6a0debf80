// What a route handler gets (the request, its parsed query and path parameters, the session)
// and the helpers it answers with. Errors are rendered as HTML on page routes and as
// {"error": "..."} on the JSON API.
#pragma once

#include <boost/beast/http/status.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/http/server.h"
#include "common/http/url.h"
#include "shop-reference/frontend/backends.h"
#include "shop-reference/frontend/session.h"

namespace shop {

using HttpStatus = boost::beast::http::status;

// kPage: HTML, session cookie; kApi: JSON, session cookie; kProbe: /_healthz, /readyz (only
// the hang knob); kPlain: plain text without session or faults beyond the page knobs;
// kMetrics: no faults at all.
enum class RouteKind { kPage, kApi, kProbe, kPlain, kMetrics };

// One request being answered. Lives on the handler's stack; not shared between threads.
struct RequestContext {
  explicit RequestContext(const stampede::http::Request& r) : request(r) {}

  const stampede::http::Request& request;
  RouteKind kind = RouteKind::kPage;
  stampede::http::Params query;
  std::vector<std::string> params;   // path parameters ("{id}"), percent-decoded, in order
  Session session;                   // meaningful on kPage and kApi routes
  std::vector<std::string> cookies;  // Set-Cookie values the handler adds to its answer
};

using Response = stampede::http::Response;

Response html_response(const RequestContext& ctx, HttpStatus status, std::string body);
// Dumps `body` with invalid UTF-8 replaced, so no input can make rendering throw.
Response json_response(const RequestContext& ctx, HttpStatus status, const nlohmann::json& body);
Response text_response(const RequestContext& ctx, HttpStatus status, std::string body);
// 302 to `location` (which must be free of CR/LF; redirect() falls back to "/" otherwise).
Response redirect(const RequestContext& ctx, const std::string& location);
// An error answer in the route's format: {"error": message} or an HTML error page.
Response error_response(const RequestContext& ctx, HttpStatus status, const std::string& message);

// A backend failure on the JSON API: 503 for UNAVAILABLE (with Retry-After when the backend's
// breaker is open), 504 for DEADLINE_EXCEEDED, 500 otherwise. Page routes answer 500 with the
// message, as Online Boutique does. `what` says what could not be done ("could not get cart").
Response backend_failure(const RequestContext& ctx, const std::string& what,
                         const grpc::Status& status, const std::string& dependency,
                         int retry_after_s);
template <class T>
Response backend_failure(const RequestContext& ctx, const std::string& what,
                         const Outcome<T>& outcome) {
  return backend_failure(ctx, what, outcome.status, outcome.dependency, outcome.retry_after_s);
}

// Safe JSON dump (invalid UTF-8 replaced by U+FFFD).
std::string dump_json(const nlohmann::json& value);

}  // namespace shop
