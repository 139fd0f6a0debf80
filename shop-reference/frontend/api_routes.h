// The JSON API beside the HTML routes (ours; Online Boutique has none). Answers are
// application/json, errors {"error": "..."}; backend failures are 503 (UNAVAILABLE, with
// Retry-After while the backend's breaker is open), 504 (DEADLINE_EXCEEDED) or 500.
// Thread-safe (no state besides the backends').
#pragma once

#include "shop-reference/frontend/backends.h"
#include "shop-reference/frontend/request_context.h"

namespace shop {

// GET /api/products[?currency=XXX]: {"currency", "products": [...]}; 422 for a currency
// outside the whitelist.
Response api_list_products(Backends& backends, RequestContext& ctx);
// GET /api/products/{id}: {"product": {...}}; 404 unknown.
Response api_get_product(Backends& backends, RequestContext& ctx);
// GET /api/cart: {"currency", "items": [{"product_id", "quantity", "name", "price"}],
// "total_items"}; name and price are absent for a product the catalog no longer has.
Response api_get_cart(Backends& backends, RequestContext& ctx);
// POST /api/cart {"product_id", "quantity"}: 200 the cart; 400 malformed JSON or wrong types,
// 422 quantity outside 1..10, 404 unknown product.
Response api_add_to_cart(Backends& backends, RequestContext& ctx);
// DELETE /api/cart: 200 the empty cart.
Response api_empty_cart(Backends& backends, RequestContext& ctx);
// POST /api/checkout: 200 {"order": {...}}; 400 malformed JSON, 422 invalid field or order
// refused (bad card, empty cart).
Response api_checkout(Backends& backends, RequestContext& ctx);
// GET /api/orders: {"orders": [...]}, the session's orders, newest first.
Response api_list_orders(Backends& backends, RequestContext& ctx);
// GET /api/orders/{id}: {"order": {...}} with status and history; 404 unknown or not theirs.
Response api_get_order(Backends& backends, RequestContext& ctx);
// POST /api/orders/{id}/cancel: 200 {"order": {...}}; 404 unknown or not theirs, 409 not
// cancellable (e.g. already cancelled).
Response api_cancel_order(Backends& backends, RequestContext& ctx);

}  // namespace shop
