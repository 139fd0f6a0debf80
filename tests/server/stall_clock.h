#pragma once

#include <chrono>

namespace stampede::testserver {

// A server-wide periodic stall (a simulated GC pause): the first `length` of every `every` is a
// window during which responses are held. Valid when every > 0 and 0 <= length <= every.
struct StallSpec {
  std::chrono::milliseconds every{0};
  std::chrono::milliseconds length{0};
};

// When a request arriving at `t` (time since server start) may be answered: the end of the stall
// window containing t, i.e. floor(t / every) * every + length, or t itself outside every window.
// Pure; requires a valid spec.
std::chrono::microseconds stall_release(std::chrono::microseconds t, const StallSpec& spec);

// How long a request arriving at `t` is held: stall_release(t, spec) - t (zero outside windows).
std::chrono::microseconds stall_hold(std::chrono::microseconds t, const StallSpec& spec);

// The stall epoch: when the server started, so that every thread sees the same windows.
// Immutable after construction; safe to share between threads.
class StallClock {
 public:
  using Clock = std::chrono::steady_clock;

  explicit StallClock(Clock::time_point start = Clock::now()) : start_(start) {}

  Clock::time_point start() const { return start_; }

  // The absolute time at which a request arriving at `now` is released (>= now).
  Clock::time_point release_time(Clock::time_point now, const StallSpec& spec) const;

 private:
  Clock::time_point start_;
};

}  // namespace stampede::testserver
