// The runtime's clock: CLOCK_MONOTONIC nanoseconds (the same clock as a stampede run on this
// machine), with the wall-clock time of any monotonic instant for humans. Thread-safe.
#pragma once

#include <time.h>

#include <cstdint>

namespace stampede::local {

inline int64_t mono_now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline double mono_seconds(int64_t ns) {
  return static_cast<double>(ns) / 1e9;
}

// The unix time in milliseconds of the monotonic instant `ns` (past or future).
inline int64_t unix_ms_of(int64_t ns) {
  timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  int64_t wall_ms = static_cast<int64_t>(wall.tv_sec) * 1000 + wall.tv_nsec / 1'000'000;
  return wall_ms - (mono_now_ns() - ns) / 1'000'000;
}

}  // namespace stampede::local
