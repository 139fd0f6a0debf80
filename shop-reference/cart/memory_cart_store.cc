#include "shop-reference/cart/memory_cart_store.h"

#include <limits>

namespace shop {

CartStatus MemoryCartStore::add_item(std::string_view user_id, std::string_view product_id,
                                     int32_t quantity) {
  if (auto s = check_add_item(user_id, product_id, quantity); !s.ok()) return s;
  std::lock_guard lock(mu_);
  auto& cart = carts_[std::string(user_id)];
  auto [it, inserted] = cart.try_emplace(std::string(product_id), 0);
  if (static_cast<int64_t>(it->second) + quantity > std::numeric_limits<int32_t>::max()) {
    return quantity_overflow_error(product_id, it->second, quantity);
  }
  it->second += quantity;
  return {};
}

CartResult<std::vector<CartLine>> MemoryCartStore::get_cart(std::string_view user_id) {
  if (auto s = check_user_id("get_cart", user_id); !s.ok()) return s.error();
  std::vector<CartLine> lines;
  std::lock_guard lock(mu_);
  auto it = carts_.find(std::string(user_id));
  if (it == carts_.end()) return lines;
  lines.reserve(it->second.size());
  for (const auto& [product_id, quantity] : it->second) lines.push_back({product_id, quantity});
  return lines;
}

CartStatus MemoryCartStore::empty_cart(std::string_view user_id) {
  if (auto s = check_user_id("empty_cart", user_id); !s.ok()) return s;
  std::lock_guard lock(mu_);
  carts_.erase(std::string(user_id));
  return {};
}

}  // namespace shop
