// The HTML routes of Online Boutique's frontend. Each reads its backends through `backends`
// and answers in HTML; required-backend failures are 500 pages, as in Online Boutique.
// Thread-safe (no state besides the backends').
#pragma once

#include "shop-reference/frontend/backends.h"
#include "shop-reference/frontend/request_context.h"

namespace shop {

// GET / : the products with converted prices, the currency selector, the cart size, an ad.
Response home_page(Backends& backends, RequestContext& ctx);
// GET /product/{id}: 404 for an unknown product.
Response product_page(Backends& backends, RequestContext& ctx);
// GET /cart: lines, shipping quote, total, recommendations, checkout form.
Response cart_page(Backends& backends, RequestContext& ctx);

// POST /cart (product_id, quantity 1..10): 302 /cart; 400 malformed form, 422 bad quantity or
// missing product_id, 404 unknown product, 500 backend failure.
Response add_to_cart(Backends& backends, RequestContext& ctx);
// POST /cart/empty: 302 /; 500 backend failure.
Response empty_cart(Backends& backends, RequestContext& ctx);
// POST /setCurrency (currency_code): sets shop_currency, 302 to the Referer (or /); 422 for a
// code outside the whitelist.
Response set_currency(RequestContext& ctx);
// GET /logout: expires both cookies, 302 /.
Response logout(RequestContext& ctx);
// POST /cart/checkout (Online Boutique's fields): 200 confirmation page; 422 invalid field or
// order refused (bad card, empty cart); 500 backend failure.
Response place_order_page(Backends& backends, RequestContext& ctx);

}  // namespace shop
