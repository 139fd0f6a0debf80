#include "shop-reference/common/circuit_breaker.h"

#include <gtest/gtest.h>

#include <vector>

namespace shop {
namespace {

using std::chrono::milliseconds;

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  CircuitBreaker::Clock fn() {
    return [this] { return now; };
  }
};

struct Transition {
  BreakerState from, to;
};

class BreakerTest : public ::testing::Test {
 protected:
  CircuitBreaker make(BreakerConfig config) {
    return CircuitBreaker(config, clock_.fn(),
                          [this](BreakerState f, BreakerState t, std::string_view) {
                            transitions_.push_back({f, t});
                          });
  }
  void fail(CircuitBreaker& b, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(b.allow());
      b.record(false);
    }
  }
  FakeClock clock_;
  std::vector<Transition> transitions_;
};

TEST_F(BreakerTest, OpensAfterConsecutiveFailuresAndFailsFast) {
  BreakerConfig c;
  c.consecutive_failures = 3;
  c.open_for = milliseconds(1000);
  auto b = make(c);
  fail(b, 2);
  ASSERT_TRUE(b.allow());
  b.record(true);  // a success resets the run
  fail(b, 2);
  EXPECT_EQ(b.state(), BreakerState::kClosed);
  fail(b, 1);
  EXPECT_EQ(b.state(), BreakerState::kOpen);
  EXPECT_FALSE(b.allow());
  clock_.now += milliseconds(999);
  EXPECT_FALSE(b.allow());
  ASSERT_EQ(transitions_.size(), 1u);
  EXPECT_EQ(transitions_[0].to, BreakerState::kOpen);
}

TEST_F(BreakerTest, HalfOpenLetsTrialCallsThroughThenCloses) {
  BreakerConfig c;
  c.consecutive_failures = 1;
  c.open_for = milliseconds(100);
  c.half_open_calls = 2;
  auto b = make(c);
  fail(b, 1);
  clock_.now += milliseconds(100);
  EXPECT_EQ(b.state(), BreakerState::kHalfOpen);
  ASSERT_TRUE(b.allow());
  ASSERT_TRUE(b.allow());
  EXPECT_FALSE(b.allow());  // both trial slots taken
  b.record(true);
  EXPECT_EQ(b.state(), BreakerState::kHalfOpen);
  b.record(true);
  EXPECT_EQ(b.state(), BreakerState::kClosed);
  ASSERT_EQ(transitions_.size(), 3u);
  EXPECT_EQ(transitions_[1].to, BreakerState::kHalfOpen);
  EXPECT_EQ(transitions_[2].to, BreakerState::kClosed);
}

TEST_F(BreakerTest, FailedTrialReopensForAnotherPeriod) {
  BreakerConfig c;
  c.consecutive_failures = 1;
  c.open_for = milliseconds(100);
  auto b = make(c);
  fail(b, 1);
  clock_.now += milliseconds(150);
  ASSERT_TRUE(b.allow());
  b.record(false);
  EXPECT_EQ(b.state(), BreakerState::kOpen);
  clock_.now += milliseconds(99);
  EXPECT_FALSE(b.allow());
  clock_.now += milliseconds(1);
  EXPECT_TRUE(b.allow());
}

TEST_F(BreakerTest, FailureRateOverWindowOpens) {
  BreakerConfig c;
  c.consecutive_failures = 0;
  c.failure_rate = 0.5;
  c.window = 10;
  c.min_calls = 10;
  auto b = make(c);
  // Alternate: never two failures in a row, but half of all calls fail.
  for (int i = 0; i < 9; ++i) {
    ASSERT_TRUE(b.allow());
    b.record(i % 2 == 1);
  }
  EXPECT_EQ(b.state(), BreakerState::kClosed);  // 9 calls < min_calls
  ASSERT_TRUE(b.allow());
  b.record(false);  // 10 calls, 5 failures
  EXPECT_EQ(b.state(), BreakerState::kOpen);
}

TEST_F(BreakerTest, DisabledNeverOpens) {
  BreakerConfig c;
  c.enabled = false;
  c.consecutive_failures = 1;
  auto b = make(c);
  fail(b, 50);
  EXPECT_TRUE(b.allow());
  EXPECT_TRUE(transitions_.empty());
}

TEST_F(BreakerTest, LateResultsWhileOpenAreIgnored) {
  BreakerConfig c;
  c.consecutive_failures = 2;
  auto b = make(c);
  ASSERT_TRUE(b.allow());
  ASSERT_TRUE(b.allow());
  ASSERT_TRUE(b.allow());
  b.record(false);
  b.record(false);
  EXPECT_EQ(b.state(), BreakerState::kOpen);
  b.record(true);  // the third call comes back after the breaker opened
  EXPECT_EQ(b.state(), BreakerState::kOpen);
}

}  // namespace
}  // namespace shop
