#include "shop-reference/frontend/request_context.h"

#include "shop-reference/frontend/html_render.h"

namespace shop {

namespace http = boost::beast::http;
using stampede::http::make_response;

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response html_response(const RequestContext& ctx, HttpStatus status, std::string body) {
  return make_response(ctx.request, status, "text/html; charset=utf-8", std::move(body));
}

Response json_response(const RequestContext& ctx, HttpStatus status, const nlohmann::json& body) {
  return make_response(ctx.request, status, "application/json", dump_json(body) + "\n");
}

Response text_response(const RequestContext& ctx, HttpStatus status, std::string body) {
  return make_response(ctx.request, status, "text/plain; charset=utf-8", std::move(body));
}

Response redirect(const RequestContext& ctx, const std::string& location) {
  bool clean = location.find_first_of("\r\n", 0) == std::string::npos && !location.empty();
  Response r = make_response(ctx.request, http::status::found, "text/plain; charset=utf-8", "");
  r.set(http::field::location, clean ? location : "/");
  return r;
}

Response error_response(const RequestContext& ctx, HttpStatus status, const std::string& message) {
  switch (ctx.kind) {
    case RouteKind::kApi:
      return json_response(ctx, status, {{"error", message}});
    case RouteKind::kPage:
      return html_response(ctx, status, render_error_page(static_cast<int>(status), message));
    default:
      return text_response(ctx, status, message + "\n");
  }
}

Response backend_failure(const RequestContext& ctx, const std::string& what,
                         const grpc::Status& status, const std::string& dependency,
                         int retry_after_s) {
  std::string message = what;
  if (!dependency.empty()) message += " (" + dependency + ")";
  message += ": " + status.error_message();
  if (ctx.kind != RouteKind::kApi) {
    return error_response(ctx, http::status::internal_server_error, message);
  }
  HttpStatus code = http::status::internal_server_error;
  if (status.error_code() == grpc::UNAVAILABLE) code = http::status::service_unavailable;
  if (status.error_code() == grpc::DEADLINE_EXCEEDED) code = http::status::gateway_timeout;
  Response r = error_response(ctx, code, message);
  if (code == http::status::service_unavailable && retry_after_s > 0) {
    r.set(http::field::retry_after, std::to_string(retry_after_s));
  }
  return r;
}

}  // namespace shop
