// The GET pages.
#include "shop-reference/frontend/html_routes.h"

#include "shop-reference/frontend/html_render.h"
#include "shop-reference/frontend/inputs.h"
#include "shop-reference/frontend/page_data.h"

namespace shop {
namespace {

namespace http = boost::beast::http;

// The header's data; both calls are required (Online Boutique answers 500 without them).
Outcome<Chrome> load_chrome(Backends& backends, const RequestContext& ctx,
                            const hipstershop::Cart& cart) {
  auto currencies = load_currencies(backends);
  if (!currencies.ok()) return currencies.fail_as<Chrome>();
  Outcome<Chrome> out;
  out.value.currency = ctx.session.currency;
  out.value.currencies = std::move(currencies.value);
  out.value.cart_size = cart_size(cart);
  return out;
}

std::vector<std::string> ids_in(const hipstershop::Cart& cart) {
  std::vector<std::string> ids;
  for (const auto& item : cart.items()) ids.push_back(item.product_id());
  return ids;
}

}  // namespace

Response home_page(Backends& backends, RequestContext& ctx) {
  auto cart = backends.get_cart(ctx.session.id);
  if (!cart.ok()) return backend_failure(ctx, "could not retrieve cart", cart);
  auto chrome = load_chrome(backends, ctx, cart.value);
  if (!chrome.ok()) return backend_failure(ctx, "could not retrieve currencies", chrome);
  auto products = load_products(backends, ctx.session.currency);
  if (!products.ok()) return backend_failure(ctx, "could not retrieve products", products);
  auto ad = choose_ad(backends, {});
  return html_response(ctx, http::status::ok, render_home(chrome.value, products.value, ad));
}

Response product_page(Backends& backends, RequestContext& ctx) {
  const std::string& id = ctx.params.at(0);
  if (!is_valid_product_id(id)) {
    return error_response(ctx, http::status::not_found, "product '" + id + "' not found");
  }
  auto product = load_product(backends, id, ctx.session.currency);
  if (product.status.error_code() == grpc::NOT_FOUND) {
    return error_response(ctx, http::status::not_found, "product '" + id + "' not found");
  }
  if (!product.ok()) return backend_failure(ctx, "could not retrieve product", product);
  auto cart = backends.get_cart(ctx.session.id);
  if (!cart.ok()) return backend_failure(ctx, "could not retrieve cart", cart);
  auto chrome = load_chrome(backends, ctx, cart.value);
  if (!chrome.ok()) return backend_failure(ctx, "could not retrieve currencies", chrome);
  auto recommended = load_recommendations(backends, ctx.session.id, {id});
  std::vector<std::string> keys(product.value.product.categories().begin(),
                                product.value.product.categories().end());
  auto ad = choose_ad(backends, keys);
  return html_response(ctx, http::status::ok,
                       render_product(chrome.value, product.value, recommended, ad));
}

Response cart_page(Backends& backends, RequestContext& ctx) {
  auto cart = backends.get_cart(ctx.session.id);
  if (!cart.ok()) return backend_failure(ctx, "could not retrieve cart", cart);
  auto chrome = load_chrome(backends, ctx, cart.value);
  if (!chrome.ok()) return backend_failure(ctx, "could not retrieve currencies", chrome);
  auto view = load_cart_view(backends, cart.value, ctx.session.currency);
  if (!view.ok()) return backend_failure(ctx, "could not show the cart", view);
  auto recommended = load_recommendations(backends, ctx.session.id, ids_in(cart.value));
  return html_response(ctx, http::status::ok, render_cart(chrome.value, view.value, recommended));
}

}  // namespace shop
