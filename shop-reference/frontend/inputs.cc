#include "shop-reference/frontend/inputs.h"

#include <algorithm>
#include <charconv>

namespace shop {
namespace {

bool is_token(std::string_view id, size_t max) {
  if (id.empty() || id.size() > max) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

}  // namespace

bool is_valid_product_id(std::string_view id) {
  return is_token(id, 64);
}

bool is_valid_order_id(std::string_view id) {
  return is_token(id, 128);
}

std::optional<int32_t> parse_quantity(std::string_view text) {
  int32_t q = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), q);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  if (q < kMinQuantity || q > kMaxQuantity) return std::nullopt;
  return q;
}

}  // namespace shop
