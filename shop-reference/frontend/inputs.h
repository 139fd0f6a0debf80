// Checks on identifiers and numbers that come from requests, applied before anything is sent
// to a backend (so no malformed text reaches a protobuf string field or a backend's logs).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace shop {

inline constexpr int32_t kMinQuantity = 1;
inline constexpr int32_t kMaxQuantity = 10;

// 1..64 characters of [A-Za-z0-9_-] (every catalog id is); anything else is an unknown product.
bool is_valid_product_id(std::string_view id);
// 1..128 characters of [A-Za-z0-9_-] (uuids are); anything else is an unknown order.
bool is_valid_order_id(std::string_view id);
// A decimal integer in [kMinQuantity, kMaxQuantity]; nullopt for anything else.
std::optional<int32_t> parse_quantity(std::string_view text);

}  // namespace shop
