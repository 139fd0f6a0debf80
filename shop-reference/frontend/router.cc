#include "shop-reference/frontend/router.h"

#include <chrono>
#include <exception>

#include "common/http/url.h"
#include "shop-reference/common/log.h"
#include "shop-reference/frontend/frontend_metrics.h"

namespace shop {
namespace {

namespace http = boost::beast::http;

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string allow_header(const Route& route) {
  std::string allow;
  for (const auto& [verb, handler] : route.methods) {
    if (!allow.empty()) allow += ", ";
    allow += std::string(http::to_string(verb));
    if (verb == http::verb::get) allow += ", HEAD";
  }
  return allow;
}

}  // namespace

std::optional<std::vector<std::string>> match_route(std::string_view pattern,
                                                    std::string_view path) {
  auto want = segments(pattern);
  auto got = segments(path);
  if (want.size() != got.size()) return std::nullopt;
  std::vector<std::string> params;
  for (size_t i = 0; i < want.size(); ++i) {
    bool placeholder = want[i].size() >= 2 && want[i].front() == '{' && want[i].back() == '}';
    if (placeholder) {
      if (got[i].empty()) return std::nullopt;
      params.emplace_back(got[i]);
    } else if (want[i] != got[i]) {
      return std::nullopt;
    }
  }
  return params;
}

stampede::http::Reply Router::handle(const stampede::http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  std::string_view target(request.target().data(), request.target().size());
  auto parts = stampede::http::split_target(target);

  const Route* route = nullptr;
  std::vector<std::string> raw_params;
  for (const auto& r : routes_) {
    if (auto params = match_route(r.pattern, parts.path)) {
      route = &r;
      raw_params = std::move(*params);
      break;
    }
  }
  const std::string label = route ? route->pattern : "unmatched";
  RequestContext ctx(request);
  ctx.kind = route ? route->kind
                   : (parts.path.substr(0, 5) == "/api/" ? RouteKind::kApi : RouteKind::kPage);

  stampede::http::Reply reply;
  if (auto decided = apply_faults(ctx, label)) {
    if (decided->hang) return std::move(*decided);
    reply = std::move(*decided);
  } else {
    reply.response = dispatch(route, ctx, parts.path, parts.query, std::move(raw_params));
  }
  for (const auto& cookie : ctx.cookies) reply.response.insert(http::field::set_cookie, cookie);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  record_http_request(label, static_cast<int>(reply.response.result_int()), took.count());
  return reply;
}

std::optional<stampede::http::Reply> Router::apply_faults(RequestContext& ctx,
                                                          const std::string& label) {
  if (ctx.kind == RouteKind::kMetrics) return std::nullopt;
  // Knobs may be scoped to route patterns (FaultSpec::methods), so the pattern names the request.
  // Probes obey only the hang knob, as a hung process would not answer them either.
  if (ctx.kind == RouteKind::kProbe) {
    if (runtime_.faults().hang(label)) return stampede::http::Reply{{}, /*hang=*/true};
    return std::nullopt;
  }
  FaultDecision d = runtime_.faults().decide(label);
  if (d.crash) crash_now("frontend " + label);
  if (d.hang) return stampede::http::Reply{{}, /*hang=*/true};
  if (d.delay.count() > 0) wait_for(d.delay, [this] { return runtime_.shutting_down(); });
  if (d.burn.count() > 0) burn_cpu(d.burn);
  if (d.fail) {
    return stampede::http::Reply{
        error_response(ctx, http::status::service_unavailable, "injected fault: frontend error")};
  }
  return std::nullopt;
}

Response Router::dispatch(const Route* route, RequestContext& ctx, std::string_view path,
                          std::string_view query, std::vector<std::string> raw_params) {
  if (route == nullptr) {
    return error_response(ctx, http::status::not_found, "no page at '" + std::string(path) + "'");
  }
  const RouteHandler* handler = nullptr;
  http::verb method = ctx.request.method();
  for (const auto& [verb, h] : route->methods) {
    if (verb == method || (verb == http::verb::get && method == http::verb::head)) handler = &h;
  }
  if (handler == nullptr) {
    Response r = error_response(
        ctx, http::status::method_not_allowed,
        "method " + std::string(ctx.request.method_string()) + " not allowed on " + route->pattern);
    r.set(http::field::allow, allow_header(*route));
    return r;
  }
  auto parsed = stampede::http::parse_query(query);
  if (!parsed.ok()) return error_response(ctx, http::status::bad_request, parsed.error().message());
  ctx.query = std::move(parsed.value());
  for (const auto& raw : raw_params) {
    auto decoded = stampede::http::percent_decode(raw, /*plus_as_space=*/false);
    if (!decoded.ok()) {
      return error_response(ctx, http::status::bad_request,
                            "path segment: " + decoded.error().message());
    }
    ctx.params.push_back(std::move(decoded.value()));
  }
  bool with_session = ctx.kind == RouteKind::kPage || ctx.kind == RouteKind::kApi;
  if (with_session) {
    ctx.session = read_session(ctx.request);
    if (ctx.session.new_id) ctx.cookies.insert(ctx.cookies.begin(), session_cookie(ctx.session.id));
  }
  try {
    return (*handler)(ctx);
  } catch (const std::exception& e) {
    // Handlers return errors as values; this is the net for a bug, so it is logged loudly.
    log_error("handler for " + route->pattern + " threw: " + e.what());
    return error_response(ctx, http::status::internal_server_error, "internal error");
  }
}

}  // namespace shop
