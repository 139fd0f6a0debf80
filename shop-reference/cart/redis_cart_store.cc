#include "shop-reference/cart/redis_cart_store.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

namespace shop {
namespace {

using stampede::Error;

// HINCRBY, undone when the sum passes INT32_MAX. A script runs atomically, so no reader ever
// sees the over-limit value. The error's first word lets the caller tell it apart.
constexpr const char* kAddScript =
    "local q = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])\n"
    "if q > 2147483647 then\n"
    "  redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))\n"
    "  return redis.error_reply('CARTLIMIT ' .. (q - tonumber(ARGV[2])))\n"
    "end\n"
    "return q\n";

std::string cart_key(std::string_view user_id) {
  return "cart:" + std::string(user_id);
}

CartError internal(std::string message) {
  return CartError(CartErrorKind::kInternal, std::move(message));
}

std::string reply_text(const redisReply* r) {
  return std::string(r->str, r->len);
}

}  // namespace

stampede::Result<RedisAddr> parse_redis_addr(std::string_view addr) {
  const std::string quoted = "REDIS_ADDR '" + std::string(addr) + "'";
  RedisAddr out;
  std::string_view port;
  if (!addr.empty() && addr.front() == '[') {
    const size_t close = addr.find(']');
    if (close == std::string_view::npos) return Error(quoted + ": missing ']' after IPv6 host");
    out.host = std::string(addr.substr(1, close - 1));
    if (close + 1 >= addr.size() || addr[close + 1] != ':') {
      return Error(quoted + ": expected host:port");
    }
    port = addr.substr(close + 2);
  } else {
    const size_t colon = addr.rfind(':');
    if (colon == std::string_view::npos) return Error(quoted + ": expected host:port");
    out.host = std::string(addr.substr(0, colon));
    if (out.host.find(':') != std::string::npos) {
      return Error(quoted + ": an IPv6 host must be in brackets, as [::1]:6379");
    }
    port = addr.substr(colon + 1);
  }
  if (out.host.empty()) return Error(quoted + ": empty host");
  int value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 1 ||
      value > 65535) {
    return Error(quoted + ": port must be a number in 1..65535");
  }
  out.port = value;
  return out;
}

RedisCartStore::RedisCartStore(RedisAddr addr, RedisPoolOptions options)
    : pool_(std::move(addr), options) {}

CartStatus RedisCartStore::add_item(std::string_view user_id, std::string_view product_id,
                                    int32_t quantity) {
  if (auto s = check_add_item(user_id, product_id, quantity); !s.ok()) return s;
  auto reply = pool_.command({"EVAL", kAddScript, "1", cart_key(user_id), std::string(product_id),
                              std::to_string(quantity)});
  if (!reply.ok()) return CartError(reply.error().kind(), "add_item: " + reply.error().message());
  const redisReply* r = reply.value().get();
  if (r->type == REDIS_REPLY_INTEGER) return {};
  if (r->type == REDIS_REPLY_ERROR) {
    const std::string text = reply_text(r);
    if (text.rfind("CARTLIMIT ", 0) == 0) {
      int64_t current = 0;
      std::from_chars(text.data() + 10, text.data() + text.size(), current);
      return quantity_overflow_error(product_id, current, quantity);
    }
    return internal("add_item: redis " + pool_.addr().to_string() + ": " + text);
  }
  return internal("add_item: unexpected reply type " + std::to_string(r->type));
}

CartResult<std::vector<CartLine>> RedisCartStore::get_cart(std::string_view user_id) {
  if (auto s = check_user_id("get_cart", user_id); !s.ok()) return s.error();
  const std::string key = cart_key(user_id);
  auto reply = pool_.command({"HGETALL", key});
  if (!reply.ok()) return CartError(reply.error().kind(), "get_cart: " + reply.error().message());
  const redisReply* r = reply.value().get();
  if (r->type == REDIS_REPLY_ERROR) {
    return internal("get_cart: redis " + pool_.addr().to_string() + ": " + reply_text(r));
  }
  if (r->type != REDIS_REPLY_ARRAY || r->elements % 2 != 0) {
    return internal("get_cart: unexpected reply to HGETALL " + key);
  }
  std::vector<CartLine> lines;
  lines.reserve(r->elements / 2);
  for (size_t i = 0; i < r->elements; i += 2) {
    const redisReply* field = r->element[i];
    const redisReply* value = r->element[i + 1];
    if (field->type != REDIS_REPLY_STRING || value->type != REDIS_REPLY_STRING) {
      return internal("get_cart: unexpected element type in HGETALL " + key);
    }
    const std::string text = reply_text(value);
    int64_t quantity = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), quantity);
    // Data we did not write (or a corrupted hash) must not become a bogus cart line.
    if (ec != std::errc() || end != text.data() + text.size() || quantity <= 0 ||
        quantity > std::numeric_limits<int32_t>::max()) {
      return internal("get_cart: " + key + " field '" + reply_text(field) + "' holds '" + text +
                      "', not a quantity in 1..2147483647");
    }
    lines.push_back({reply_text(field), static_cast<int32_t>(quantity)});
  }
  // HGETALL order depends on the hash's encoding; sort for a stable, documented order.
  std::sort(lines.begin(), lines.end(),
            [](const CartLine& a, const CartLine& b) { return a.product_id < b.product_id; });
  return lines;
}

CartStatus RedisCartStore::empty_cart(std::string_view user_id) {
  if (auto s = check_user_id("empty_cart", user_id); !s.ok()) return s;
  auto reply = pool_.command({"DEL", cart_key(user_id)});
  if (!reply.ok()) return CartError(reply.error().kind(), "empty_cart: " + reply.error().message());
  const redisReply* r = reply.value().get();
  if (r->type == REDIS_REPLY_INTEGER) return {};
  if (r->type == REDIS_REPLY_ERROR) {
    return internal("empty_cart: redis " + pool_.addr().to_string() + ": " + reply_text(r));
  }
  return internal("empty_cart: unexpected reply type " + std::to_string(r->type));
}

bool RedisCartStore::healthy() {
  auto reply = pool_.command({"PING"});
  if (!reply.ok()) return false;
  const redisReply* r = reply.value().get();
  return r->type == REDIS_REPLY_STATUS && reply_text(r) == "PONG";
}

}  // namespace shop
