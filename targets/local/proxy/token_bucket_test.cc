// TokenBucket: the arithmetic of the bandwidth limit, on a hand-driven clock.
#include "targets/local/proxy/token_bucket.h"

#include <gtest/gtest.h>

namespace stampede::local::internal {
namespace {

using Clock = TokenBucket::Clock;
using std::chrono::milliseconds;

TEST(ProxyTokenBucket, UnlimitedUntilConfigured) {
  TokenBucket bucket;
  EXPECT_FALSE(bucket.limited());
  bucket.configure(0, 1024, Clock::now());
  EXPECT_FALSE(bucket.limited());
}

TEST(ProxyTokenBucket, StartsFullAndRefillsAtTheRate) {
  const Clock::time_point t0 = Clock::now();
  TokenBucket bucket;
  bucket.configure(10000, 2000, t0);  // 10 kB/s, 2 kB burst
  EXPECT_EQ(bucket.available(t0), 2000u);
  bucket.take(2000);
  EXPECT_EQ(bucket.available(t0), 0u);
  EXPECT_EQ(bucket.available(t0 + milliseconds(100)), 1000u);
  EXPECT_EQ(bucket.available(t0 + milliseconds(10000)), 2000u);  // capped at the burst
}

TEST(ProxyTokenBucket, WaitForSaysWhenTokensAreThere) {
  const Clock::time_point t0 = Clock::now();
  TokenBucket bucket;
  bucket.configure(1000, 1000, t0);
  bucket.take(1000);
  const Clock::duration wait = bucket.wait_for(500, t0);
  EXPECT_GE(wait, milliseconds(500));
  EXPECT_LE(wait, milliseconds(501));
  EXPECT_GE(bucket.available(t0 + wait), 500u);
  EXPECT_EQ(bucket.wait_for(0, t0), Clock::duration::zero());
}

TEST(ProxyTokenBucket, SpendingAtTheLimitSustainsTheRate) {
  // Drain in 1 kB writes as soon as tokens allow, for 10 s of simulated time.
  Clock::time_point now = Clock::now();
  const Clock::time_point end = now + std::chrono::seconds(10);
  TokenBucket bucket;
  bucket.configure(50000, 1024, now);
  size_t sent = 0;
  while (now < end) {
    if (bucket.available(now) >= 1000) {
      bucket.take(1000);
      sent += 1000;
    } else {
      now += bucket.wait_for(1000, now);
    }
  }
  EXPECT_NEAR(static_cast<double>(sent), 500000.0, 2000.0);
}

TEST(ProxyTokenBucket, ReconfiguringKeepsTokensUpToTheNewBurst) {
  const Clock::time_point t0 = Clock::now();
  TokenBucket bucket;
  bucket.configure(1000, 5000, t0);
  bucket.configure(1000, 100, t0);
  EXPECT_EQ(bucket.available(t0), 100u);
  bucket.take(100);
  bucket.configure(2000, 5000, t0);  // still limited: tokens are not refilled by the change
  EXPECT_EQ(bucket.available(t0), 0u);
}

TEST(ProxyTokenBucket, BurstIsTwentyMillisecondsAtLeastOneKibibyte) {
  EXPECT_EQ(burst_for_rate(1000), 1024.0);
  EXPECT_EQ(burst_for_rate(1e6), 20000.0);
}

}  // namespace
}  // namespace stampede::local::internal
