// The run's one monotonic clock: nanoseconds from CLOCK_MONOTONIC.
// Every timestamp in stampede (requests, schedules, intervals) is on this clock.
#pragma once

#include <cstdint>
#include <ctime>

namespace stampede {

using Nanos = int64_t;
constexpr Nanos kNanosPerMicro = 1000;
constexpr Nanos kNanosPerMilli = 1000 * 1000;
constexpr Nanos kNanosPerSecond = 1000 * 1000 * 1000;

inline Nanos monotonic_now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<Nanos>(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec;
}

}  // namespace stampede
