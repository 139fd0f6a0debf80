// Exponential backoff with jitter, shared by the REST client's retries and the watch's
// reconnects: the n-th wait is drawn from [d/2, d] with d = min(max, initial * 2^(n-1)), so
// clients that failed together do not come back together. Not thread-safe (one per caller).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace stampede::kube {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
      : initial_(std::max<int64_t>(1, initial.count())),
        max_(std::max<int64_t>(initial_, max.count())),
        rng_(std::random_device{}()) {}

  // The next wait; each call doubles the ceiling up to the maximum.
  std::chrono::milliseconds next() {
    int64_t ceiling = initial_;
    for (int i = 0; i < failures_ && ceiling < max_; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, max_);
    ++failures_;
    std::uniform_int_distribution<int64_t> jitter(ceiling / 2, ceiling);
    return std::chrono::milliseconds(jitter(rng_));
  }
  // Back to the initial wait (after a success).
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  int64_t initial_;
  int64_t max_;
  int failures_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace stampede::kube
