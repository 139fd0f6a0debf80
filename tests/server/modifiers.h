#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "tests/server/query.h"
#include "tests/server/stall_clock.h"

namespace stampede::testserver {

// Largest body `bytes=N` may ask for; beyond it the request gets 400.
inline constexpr std::size_t kMaxGeneratedBodyBytes = 64u << 20;
// Largest `delay_ms` and stall period accepted (one hour); beyond it the request gets 400.
inline constexpr std::chrono::milliseconds kMaxWait{3'600'000};

// The query parameters every path accepts, applied in this order: stall, delay_ms, status, bytes.
struct Modifiers {
  std::optional<StallSpec> stall;      // stall=EVERY_MS:FOR_MS
  std::chrono::milliseconds delay{0};  // delay_ms=N
  std::optional<unsigned> status;      // status=N (200..999)
  std::optional<std::size_t> bytes;    // bytes=N ('x' * N)
};

// Either the parsed modifiers or, when `error` is non-empty, why the request deserves a 400.
struct ModifiersResult {
  Modifiers modifiers;
  std::string error;
  bool ok() const { return error.empty(); }
};

// Reads stall/delay_ms/status/bytes from `params`; other names are ignored. A malformed or
// out-of-range value is an error (see the k* limits above; FOR must not exceed EVERY).
ModifiersResult parse_modifiers(const QueryParams& params);

// True for the four modifier names (so /cookies/set can skip them).
bool is_modifier_name(std::string_view name);

}  // namespace stampede::testserver
