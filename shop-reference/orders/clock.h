// The stores' notion of time: a function returning unix milliseconds, injectable so tests can
// move time by hand. Header-only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace shop {

// Returns the current time as unix milliseconds. Must be safe to call from any thread.
using Clock = std::function<int64_t()>;

// The wall clock (std::chrono::system_clock) in unix milliseconds.
inline int64_t system_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace shop
