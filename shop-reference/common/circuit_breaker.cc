#include "shop-reference/common/circuit_breaker.h"

#include <algorithm>

namespace shop {

std::string_view to_string(BreakerState s) {
  switch (s) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half-open";
  }
  return "unknown";
}

CircuitBreaker::CircuitBreaker(BreakerConfig config, Clock clock, Listener listener)
    : config_(config), clock_(std::move(clock)), listener_(std::move(listener)) {
  if (!clock_) clock_ = [] { return std::chrono::steady_clock::now(); };
}

bool CircuitBreaker::allow() {
  if (!config_.enabled) return true;
  std::lock_guard<std::mutex> lock(mu_);
  maybe_half_open();
  switch (state_) {
    case BreakerState::kClosed:
      return true;
    case BreakerState::kOpen:
      return false;
    case BreakerState::kHalfOpen:
      if (trials_in_flight_ >= std::max(1, config_.half_open_calls)) return false;
      ++trials_in_flight_;
      return true;
  }
  return false;
}

void CircuitBreaker::record(bool success) {
  if (!config_.enabled) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ == BreakerState::kHalfOpen) {
    trials_in_flight_ = std::max(0, trials_in_flight_ - 1);
    if (!success) {
      to_state(BreakerState::kOpen, "trial call failed");
    } else if (++trial_successes_ >= std::max(1, config_.half_open_calls)) {
      to_state(BreakerState::kClosed, "trial calls succeeded");
    }
    return;
  }
  if (state_ == BreakerState::kOpen) return;  // a call allowed before the breaker opened
  consecutive_ = success ? 0 : consecutive_ + 1;
  if (config_.failure_rate > 0 && config_.window > 0) {
    window_.push_back(!success);
    window_failures_ += success ? 0 : 1;
    while (static_cast<int>(window_.size()) > config_.window) {
      window_failures_ -= window_.front() ? 1 : 0;
      window_.pop_front();
    }
  }
  if (config_.consecutive_failures > 0 && consecutive_ >= config_.consecutive_failures) {
    to_state(BreakerState::kOpen, std::to_string(consecutive_) + " consecutive failures");
    return;
  }
  int calls = static_cast<int>(window_.size());
  if (config_.failure_rate > 0 && calls >= std::max(1, config_.min_calls) &&
      static_cast<double>(window_failures_) / calls >= config_.failure_rate) {
    to_state(BreakerState::kOpen, std::to_string(window_failures_) + " of the last " +
                                      std::to_string(calls) + " calls failed");
  }
}

BreakerState CircuitBreaker::state() {
  std::lock_guard<std::mutex> lock(mu_);
  maybe_half_open();
  return state_;
}

void CircuitBreaker::maybe_half_open() {
  if (state_ == BreakerState::kOpen && clock_() - opened_ >= config_.open_for) {
    to_state(BreakerState::kHalfOpen, "open period over");
  }
}

void CircuitBreaker::to_state(BreakerState next, std::string_view why) {
  BreakerState from = state_;
  state_ = next;
  consecutive_ = 0;
  window_.clear();
  window_failures_ = 0;
  trials_in_flight_ = 0;
  trial_successes_ = 0;
  if (next == BreakerState::kOpen) opened_ = clock_();
  if (listener_) listener_(from, next, why);
}

}  // namespace shop
