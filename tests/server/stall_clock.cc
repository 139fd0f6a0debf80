#include "tests/server/stall_clock.h"

namespace stampede::testserver {

using std::chrono::duration_cast;
using std::chrono::microseconds;

microseconds stall_release(microseconds t, const StallSpec& spec) {
  const microseconds every = spec.every;
  const microseconds length = spec.length;
  if (every <= microseconds::zero() || length <= microseconds::zero()) return t;
  const microseconds window_start = (t / every) * every;
  const microseconds window_end = window_start + length;
  return t < window_end ? window_end : t;
}

microseconds stall_hold(microseconds t, const StallSpec& spec) {
  return stall_release(t, spec) - t;
}

StallClock::Clock::time_point StallClock::release_time(Clock::time_point now,
                                                       const StallSpec& spec) const {
  // Requests can arrive on any thread at any time; a request that raced ahead of start_ (none in
  // practice) is simply treated as arriving at t = 0.
  const microseconds t =
      now > start_ ? duration_cast<microseconds>(now - start_) : microseconds::zero();
  return now + (stall_release(t, spec) - t);
}

}  // namespace stampede::testserver
