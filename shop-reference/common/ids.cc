#include "shop-reference/common/ids.h"

#include <array>
#include <cstdint>
#include <random>

namespace shop {
namespace {

// One engine per thread: no lock on the hot path, and threads never share state. Seeding the
// whole 19937-bit state (not one 32-bit word) keeps ids from different threads and processes
// from colliding the way a single-word seed would after ~2^16 processes.
std::mt19937_64& engine() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device device;
    std::array<std::random_device::result_type, std::mt19937_64::state_size * 2> seed{};
    for (auto& word : seed) word = device();
    std::seed_seq seq(seed.begin(), seed.end());
    return std::mt19937_64(seq);
  }();
  return rng;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

std::string uuid4() {
  std::array<uint8_t, 16> bytes{};
  auto& rng = engine();
  for (size_t i = 0; i < bytes.size(); i += 8) {
    uint64_t word = rng();
    for (size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<uint8_t>(word >> (8 * j));
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // variant 10xx (RFC 4122)
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0f]);
  }
  return out;
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

}  // namespace shop
