#include "shop-reference/cart/cart_store.h"

namespace shop {

const char* to_string(CartErrorKind kind) {
  switch (kind) {
    case CartErrorKind::kInvalidArgument:
      return "invalid_argument";
    case CartErrorKind::kUnavailable:
      return "unavailable";
    case CartErrorKind::kInternal:
      return "internal";
  }
  return "unknown";
}

CartStatus check_user_id(std::string_view op, std::string_view user_id) {
  if (user_id.empty()) {
    return CartError(CartErrorKind::kInvalidArgument, std::string(op) + ": user_id is empty");
  }
  return {};
}

CartStatus check_add_item(std::string_view user_id, std::string_view product_id, int32_t quantity) {
  if (auto s = check_user_id("add_item", user_id); !s.ok()) return s;
  if (product_id.empty()) {
    return CartError(CartErrorKind::kInvalidArgument, "add_item: product_id is empty");
  }
  if (quantity <= 0) {
    return CartError(CartErrorKind::kInvalidArgument,
                     "add_item: quantity must be > 0, got " + std::to_string(quantity));
  }
  return {};
}

CartError quantity_overflow_error(std::string_view product_id, int64_t current, int32_t added) {
  return CartError(CartErrorKind::kInvalidArgument,
                   "add_item: quantity of '" + std::string(product_id) + "' would be " +
                       std::to_string(current + added) + ", past the limit 2147483647");
}

}  // namespace shop
