#include "tests/server/router.h"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "tests/server/modifiers.h"
#include "tests/server/query.h"

namespace stampede::testserver {
namespace http = boost::beast::http;

namespace {

bool is_stats_path(std::string_view path) {
  return path == "/stats" || path == "/stats/reset";
}

// Version, keep-alive and framing, last so that every route and modifier is already applied.
void finish(Response& response, unsigned version, bool keep_alive, bool head) {
  response.version(version);
  response.keep_alive(keep_alive);
  const auto status = response.result();
  if (status == http::status::no_content || status == http::status::not_modified) {
    // These never carry a body (RFC 9110 15.3.5, 15.4.5), so no framing either.
    response.body().clear();
    response.erase(http::field::content_length);
    return;
  }
  response.prepare_payload();
  // HEAD keeps the Content-Length a GET would have had but sends no body.
  if (head) response.body().clear();
}

}  // namespace

Reply Router::route(const Request& request, StallClock::Clock::time_point now) const {
  const auto [path, query] = split_target(to_std(request.target()));
  if (!is_stats_path(path)) stats_.record(path);

  Reply reply;
  QueryParams params;
  if (!query.empty()) params = parse_query(query);
  const ModifiersResult parsed = parse_modifiers(params);
  const bool head = request.method() == http::verb::head;
  if (!parsed.ok()) {
    reply.response = text_response(http::status::bad_request, parsed.error + "\n");
    finish(reply.response, request.version(), request.keep_alive(), head);
    return reply;
  }
  const Modifiers& modifiers = parsed.modifiers;

  // stall, then delay_ms: one timer at (end of the stall window) + delay.
  if (modifiers.stall || modifiers.delay.count() > 0) {
    auto release = modifiers.stall ? clock_.release_time(now, *modifiers.stall) : now;
    release += modifiers.delay;
    if (release > now) reply.hold_until = release;
  }

  reply.response = route_path(request, path, query, params, reply.disposition);

  if (modifiers.status) reply.response.result(*modifiers.status);
  if (modifiers.bytes) {
    reply.response.body().assign(*modifiers.bytes, 'x');
    reply.response.erase(http::field::content_type);
  }
  finish(reply.response, request.version(), request.keep_alive(), head);
  return reply;
}

Response Router::route_path(const Request& request, std::string_view path, std::string_view query,
                            const QueryParams& params, Disposition& disposition) const {
  if (path == "/echo") return echo(request, path, query);
  if (path == "/json") return fixed_json();
  if (path == "/cookies/set") return cookies_set(params);
  if (path == "/cookies") return cookies(request);
  if (path == "/redirect") return redirect(params);
  if (path == "/stats") return stats(stats_.snapshot());
  if (path == "/stats/reset") {
    if (request.method() != http::verb::post) {
      Response response = text_response(http::status::method_not_allowed, "use POST\n");
      response.set(http::field::allow, "POST");
      return response;
    }
    stats_.reset();
    return text_response(http::status::ok, "ok");
  }
  if (path == "/close") disposition = Disposition::kClose;
  if (path == "/reset") disposition = Disposition::kReset;
  return text_response(http::status::ok, "ok");
}

Reply Router::reject(http::status status, unsigned version, std::string_view target) const {
  if (!target.empty()) {
    const std::string_view path = split_target(target).path;
    if (!is_stats_path(path)) stats_.record(path);
  }
  Reply reply;
  reply.response = text_response(status, std::string(http::obsolete_reason(status)) + "\n");
  finish(reply.response, version == 10 ? 10 : 11, false, false);
  return reply;
}

}  // namespace stampede::testserver
