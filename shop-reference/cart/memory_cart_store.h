// Carts in process memory (Online Boutique's cartservice without REDIS_ADDR).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "shop-reference/cart/cart_store.h"

namespace shop {

// All carts in one map behind one mutex: each operation is a couple of map look-ups, far
// cheaper than the gRPC call around it. Carts are lost when the process exits; there is no
// bound on the number of carts (as Online Boutique). Always healthy.
class MemoryCartStore final : public CartStore {
 public:
  MemoryCartStore() = default;
  MemoryCartStore(const MemoryCartStore&) = delete;
  MemoryCartStore& operator=(const MemoryCartStore&) = delete;

  CartStatus add_item(std::string_view user_id, std::string_view product_id,
                      int32_t quantity) override;
  CartResult<std::vector<CartLine>> get_cart(std::string_view user_id) override;
  CartStatus empty_cart(std::string_view user_id) override;
  bool healthy() override { return true; }

 private:
  std::mutex mu_;
  // user_id -> (product_id -> quantity); std::map keeps lines sorted by product_id.
  std::unordered_map<std::string, std::map<std::string, int32_t>> carts_;  // guarded by mu_
};

}  // namespace shop
