// Carts in Redis (Online Boutique's cartservice with REDIS_ADDR).
#pragma once

#include <string_view>

#include "common/result.h"
#include "shop-reference/cart/cart_store.h"
#include "shop-reference/cart/redis_connection_pool.h"

namespace shop {

// Parses REDIS_ADDR, "host:port" as Online Boutique (e.g. "redis-cart:6379"; IPv6 as
// "[::1]:6379"). Errors name the value: missing port, empty host, port not in 1..65535.
stampede::Result<RedisAddr> parse_redis_addr(std::string_view addr);

// One Redis hash per user: key "cart:<user_id>", field product_id, value quantity. add_item is
// an atomic HINCRBY (in a script that also enforces the INT32_MAX limit), get_cart HGETALL,
// empty_cart DEL. Connections come from a RedisConnectionPool (see there for timeouts and
// reconnection); the constructor does not connect, so the service can start before Redis does.
// When Redis is down or slow every call fails with kUnavailable within the pool's timeouts.
// Thread-safe.
class RedisCartStore final : public CartStore {
 public:
  explicit RedisCartStore(RedisAddr addr, RedisPoolOptions options = {});

  CartStatus add_item(std::string_view user_id, std::string_view product_id,
                      int32_t quantity) override;
  CartResult<std::vector<CartLine>> get_cart(std::string_view user_id) override;
  CartStatus empty_cart(std::string_view user_id) override;
  // PING answered with PONG within the command timeout.
  bool healthy() override;

 private:
  RedisConnectionPool pool_;
};

}  // namespace shop
