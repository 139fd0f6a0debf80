// A circuit breaker per dependency: closed -> open after too many failures, open -> half-open
// after a cool-down, half-open -> closed after enough successful trial calls (or back to open on
// the first failed one).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace shop {

enum class BreakerState { kClosed = 0, kOpen = 1, kHalfOpen = 2 };
std::string_view to_string(BreakerState s);

struct BreakerConfig {
  bool enabled = true;
  // Open after this many failures in a row (0: never on consecutive failures).
  int consecutive_failures = 5;
  // Or when the failure fraction over the last `window` calls reaches this (0: off), counted
  // once at least `min_calls` calls are in the window.
  double failure_rate = 0;
  int window = 20;
  int min_calls = 10;
  std::chrono::milliseconds open_for{5000};
  // Trial calls let through at once in half-open; that many successes close the breaker.
  int half_open_calls = 1;
};

// Thread-safe (one mutex; the shop's clients are not on a lock-free budget). The clock and the
// transition listener are injectable for tests; the listener runs under the lock and must not
// call back into the breaker.
class CircuitBreaker {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Listener = std::function<void(BreakerState from, BreakerState to, std::string_view why)>;

  explicit CircuitBreaker(BreakerConfig config, Clock clock = nullptr, Listener listener = nullptr);

  // Asks to make a call. false: the breaker is open (or half-open with all trial slots taken);
  // fail fast without calling. Every true must be followed by exactly one record().
  bool allow();
  // Reports the outcome of an allowed call. Only dependency failures count as failures (the
  // caller decides: a NOT_FOUND is the dependency working).
  void record(bool success);

  BreakerState state();

 private:
  void to_state(BreakerState next, std::string_view why);  // mu_ held
  void maybe_half_open();                                  // mu_ held

  const BreakerConfig config_;
  Clock clock_;
  Listener listener_;
  std::mutex mu_;
  BreakerState state_ = BreakerState::kClosed;    // guarded by mu_
  int consecutive_ = 0;                           // guarded by mu_
  std::deque<bool> window_;                       // guarded by mu_; true = failure
  int window_failures_ = 0;                       // guarded by mu_
  std::chrono::steady_clock::time_point opened_;  // guarded by mu_
  int trials_in_flight_ = 0;                      // guarded by mu_
  int trial_successes_ = 0;                       // guarded by mu_
};

}  // namespace shop
