// Placing an order from the web: shared by POST /cart/checkout (HTML) and POST /api/checkout.
#pragma once

#include <optional>

#include "shop-reference/frontend/backends.h"
#include "shop-reference/frontend/checkout_form.h"
#include "shop-reference/frontend/request_context.h"

namespace shop {

// What a checkout attempt came to: the response to send when it failed, else the placed order
// and the total paid (absent when it cannot be computed; the order went through anyway).
struct PlacedCheckout {
  std::optional<Response> failure;
  hipstershop::OrderResult order;
  std::optional<hipstershop::Money> total_paid;
};

// Validates `fields`, calls PlaceOrder and records shop_checkouts_total{outcome}. Failures: 422
// for invalid fields or an order the shop refused (bad card, empty cart), the backend failure
// response (500/503/504) when a dependency failed.
PlacedCheckout place_checkout(Backends& backends, RequestContext& ctx,
                              const CheckoutFields& fields);

}  // namespace shop
