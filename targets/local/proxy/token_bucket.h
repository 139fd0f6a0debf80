// TokenBucket: the bandwidth limit of one direction of one connection. Tokens are bytes; they
// accrue at `rate` per second up to `burst`. Rate 0 means unlimited. Pure arithmetic on a given
// time, so tests drive it without a clock. Not thread-safe: one io thread.
#pragma once

#include <chrono>
#include <cstddef>

namespace stampede::local::internal {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // Sets the rate (bytes per second, 0 = unlimited) and the burst (bytes, at least 1). Tokens
  // already there are kept up to the new burst; a bucket that was unlimited starts full.
  void configure(double rate, double burst, Clock::time_point now);
  bool limited() const { return rate_ > 0; }
  double burst() const { return burst_; }

  // Whole bytes that may be sent at `now`.
  size_t available(Clock::time_point now);
  // Spends n tokens (n <= available()).
  void take(size_t n);
  // How long from `now` until n tokens (n <= burst) are there; zero if they are now.
  Clock::duration wait_for(size_t n, Clock::time_point now);

 private:
  void refill(Clock::time_point now);

  double rate_ = 0;
  double burst_ = 0;
  double tokens_ = 0;
  Clock::time_point last_{};
};

// The burst used for a rate: 20 ms worth of bytes, at least 1 KiB, so a limit holds over short
// windows without cutting writes into tiny pieces.
double burst_for_rate(double bytes_per_second);

}  // namespace stampede::local::internal
