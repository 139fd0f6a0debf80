// The order state machine (which moves the saga and the cancel flow may make) and validation of
// new orders: pure functions, kept apart from the SQL in order_store.cc.
#include "shop-reference/orders/order_moves.h"

#include <string>

#include "shop-reference/orders/money_check.h"

namespace shop {

using hipstershop::OrderStatus;

bool is_in_flight(OrderStatus status) {
  switch (status) {
    case hipstershop::PENDING:
    case hipstershop::CHARGED:
    case hipstershop::SHIPPED:
    case hipstershop::COMPENSATING:
    case hipstershop::CANCELLING:
      return true;
    default:
      return false;
  }
}

bool is_allowed_move(OrderStatus from, OrderStatus to) {
  switch (from) {
    case hipstershop::PENDING:
      return to == hipstershop::CHARGED || to == hipstershop::FAILED;
    case hipstershop::CHARGED:
      return to == hipstershop::SHIPPED || to == hipstershop::COMPENSATING ||
             to == hipstershop::FAILED;
    case hipstershop::SHIPPED:
      return to == hipstershop::PLACED || to == hipstershop::COMPENSATING ||
             to == hipstershop::FAILED;
    case hipstershop::COMPENSATING:
      return to == hipstershop::FAILED;
    case hipstershop::PLACED:
      return to == hipstershop::CANCELLING || to == hipstershop::CANCELLED;
    case hipstershop::CANCELLING:
      return to == hipstershop::CANCELLED;
    default:
      return false;
  }
}

std::string status_name(OrderStatus status) {
  const std::string& name = hipstershop::OrderStatus_Name(status);
  return name.empty() ? "status " + std::to_string(static_cast<int>(status)) : name;
}

StoreStatus check_begin_request(hipstershop::BeginOrderRequest& request) {
  auto invalid = [&](const std::string& why) {
    return StoreError(ErrorKind::kInvalidArgument, "order '" + request.order_id() + "': " + why);
  };
  if (request.order_id().empty()) return invalid("order_id is empty");
  if (request.user_id().empty()) return invalid("user_id is empty");
  const std::string& currency = request.currency_code();
  if (!is_currency_code(currency)) {
    return invalid("currency_code '" + currency + "' is not three letters A-Z");
  }
  // Every amount is in the order's currency; an unset currency on an amount means that one, and
  // is filled in so readers (the audit) compare like with like.
  auto check = [&](hipstershop::Money* money, const std::string& what) -> StoreStatus {
    StoreStatus valid = check_amount(*money, what);
    if (!valid.ok()) return valid.error().with_context("order '" + request.order_id() + "'");
    if (money->currency_code().empty()) money->set_currency_code(currency);
    if (money->currency_code() != currency) {
      return invalid(what + " is in " + money->currency_code() + ", the order in " + currency);
    }
    return {};
  };
  if (StoreStatus s = check(request.mutable_shipping_cost(), "shipping_cost"); !s.ok()) return s;
  if (StoreStatus s = check(request.mutable_total(), "total"); !s.ok()) return s;
  for (int i = 0; i < request.items_size(); ++i) {
    hipstershop::OrderItem* item = request.mutable_items(i);
    std::string what = "items[" + std::to_string(i) + "]";
    if (item->item().product_id().empty()) return invalid(what + ".product_id is empty");
    if (item->item().quantity() <= 0) {
      return invalid(what + ".quantity " + std::to_string(item->item().quantity()) + " is not >0");
    }
    if (StoreStatus s = check(item->mutable_cost(), what + ".cost"); !s.ok()) return s;
  }
  return {};
}

}  // namespace shop
