#include "targets/local/proxy/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace stampede::local::internal {

void TokenBucket::configure(double rate, double burst, Clock::time_point now) {
  const bool was_limited = limited();
  if (was_limited) refill(now);
  rate_ = std::max(0.0, rate);
  burst_ = std::max(1.0, burst);
  tokens_ = was_limited ? std::min(tokens_, burst_) : burst_;
  last_ = now;
}

void TokenBucket::refill(Clock::time_point now) {
  if (now <= last_) return;
  const double seconds = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + seconds * rate_);
  last_ = now;
}

size_t TokenBucket::available(Clock::time_point now) {
  refill(now);
  return static_cast<size_t>(std::floor(tokens_));
}

void TokenBucket::take(size_t n) {
  tokens_ -= static_cast<double>(n);
}

TokenBucket::Clock::duration TokenBucket::wait_for(size_t n, Clock::time_point now) {
  refill(now);
  const double missing = static_cast<double>(n) - tokens_;
  if (missing <= 0 || rate_ <= 0) return Clock::duration::zero();
  // Rounded up so that a timer set for this finds the tokens there.
  const auto wait = std::chrono::duration<double>(missing / rate_);
  return std::chrono::ceil<Clock::duration>(wait) + std::chrono::microseconds(1);
}

double burst_for_rate(double bytes_per_second) {
  return std::max(1024.0, bytes_per_second * 0.02);
}

}  // namespace stampede::local::internal
