// The HTML routes that change something: cart, currency, logout, checkout.
#include "common/http/url.h"
#include "shop-reference/common/log.h"
#include "shop-reference/frontend/checkout_flow.h"
#include "shop-reference/frontend/frontend_metrics.h"
#include "shop-reference/frontend/html_render.h"
#include "shop-reference/frontend/html_routes.h"
#include "shop-reference/frontend/inputs.h"
#include "shop-reference/frontend/page_data.h"

namespace shop {
namespace {

namespace http = boost::beast::http;

// The form of a POST, or the 400 answer for a body that is not valid form encoding.
stampede::Result<stampede::http::Params> form_of(const RequestContext& ctx) {
  return stampede::http::parse_form(ctx.request.body());
}

Response bad_form(const RequestContext& ctx, const stampede::Error& error) {
  return error_response(ctx, http::status::bad_request, "malformed form: " + error.message());
}

}  // namespace

Response add_to_cart(Backends& backends, RequestContext& ctx) {
  auto form = form_of(ctx);
  if (!form.ok()) return bad_form(ctx, form.error());
  auto id = form.value().get("product_id");
  if (!id) return error_response(ctx, http::status::unprocessable_entity, "product_id: required");
  auto quantity = parse_quantity(form.value().get("quantity").value_or(""));
  if (!quantity) {
    return error_response(ctx, http::status::unprocessable_entity,
                          "quantity: must be an integer 1..10");
  }
  if (!is_valid_product_id(*id)) {
    return error_response(ctx, http::status::not_found, "product '" + *id + "' not found");
  }
  auto product = backends.get_product(*id);
  if (product.status.error_code() == grpc::NOT_FOUND) {
    return error_response(ctx, http::status::not_found, "product '" + *id + "' not found");
  }
  if (!product.ok()) return backend_failure(ctx, "could not retrieve product", product);
  auto added = backends.add_item(ctx.session.id, *id, *quantity);
  if (!added.ok()) return backend_failure(ctx, "failed to add to cart", added);
  return redirect(ctx, "/cart");
}

Response empty_cart(Backends& backends, RequestContext& ctx) {
  auto emptied = backends.empty_cart(ctx.session.id);
  if (!emptied.ok()) return backend_failure(ctx, "failed to empty cart", emptied);
  return redirect(ctx, "/");
}

Response set_currency(RequestContext& ctx) {
  auto form = form_of(ctx);
  if (!form.ok()) return bad_form(ctx, form.error());
  std::string code = form.value().get("currency_code").value_or("");
  if (!is_whitelisted_currency(code)) {
    return error_response(ctx, http::status::unprocessable_entity,
                          "currency_code: must be one of USD, EUR, CAD, JPY, GBP, TRY");
  }
  ctx.cookies.push_back(currency_cookie(code));
  auto referer = ctx.request[http::field::referer];
  return redirect(ctx, referer.empty() ? "/" : std::string(referer));
}

Response logout(RequestContext& ctx) {
  for (auto& cookie : expired_cookies()) ctx.cookies.push_back(std::move(cookie));
  return redirect(ctx, "/");
}

Response place_order_page(Backends& backends, RequestContext& ctx) {
  auto form = form_of(ctx);
  if (!form.ok()) {
    record_checkout("invalid");
    return bad_form(ctx, form.error());
  }
  PlacedCheckout placed = place_checkout(backends, ctx, checkout_fields_from_form(form.value()));
  if (placed.failure) return std::move(*placed.failure);
  // The order is placed: nothing optional may turn this page into an error now, so the header
  // falls back to the session's currency alone when the currency service fails.
  Chrome chrome{ctx.session.currency, {ctx.session.currency}, 0};
  auto currencies = load_currencies(backends);
  if (currencies.ok()) chrome.currencies = std::move(currencies.value);
  return html_response(ctx, http::status::ok,
                       render_order(chrome, placed.order, placed.total_paid));
}

}  // namespace shop
