// The order state machine and validation of new orders (pure functions, no storage).
#pragma once

#include <string>

#include "orders.pb.h"
#include "shop-reference/orders/store_error.h"

namespace shop {

// PENDING, CHARGED, SHIPPED, COMPENSATING, CANCELLING: statuses the recovery loop resumes.
bool is_in_flight(hipstershop::OrderStatus status);

// Whether `from` -> `to` is an allowed move. A repeat of the current status is not a move (false;
// the store treats it as an idempotent no-op before asking). Allowed: PENDING->CHARGED|FAILED;
// CHARGED->SHIPPED|COMPENSATING|FAILED; SHIPPED->PLACED|COMPENSATING|FAILED;
// COMPENSATING->FAILED; PLACED->CANCELLING|CANCELLED; CANCELLING->CANCELLED.
bool is_allowed_move(hipstershop::OrderStatus from, hipstershop::OrderStatus to);

// "PLACED", or "status 42" for values outside the enum.
std::string status_name(hipstershop::OrderStatus status);

// kInvalidArgument unless: order_id and user_id set, currency_code three letters A-Z, every
// amount (shipping_cost, total, item costs) valid money in that currency, items with a product id
// and quantity > 0. Amounts without a currency code get the order's (hence the mutable request).
StoreStatus check_begin_request(hipstershop::BeginOrderRequest& request);

}  // namespace shop
