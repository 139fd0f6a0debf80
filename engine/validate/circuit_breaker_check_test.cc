#include <gtest/gtest.h>

#include <cmath>

#include "engine/validate/validate_test_util.h"

namespace stampede {
namespace {

using validate_test::World;

Expectation breaker() {
  Expectation e;
  e.kind = ExpectKind::kCircuitBreaker;
  e.name = "circuit-breaker";
  e.during = "fault#1";
  e.caller = "checkout";
  e.dependency = "payment";
  e.fast_fail = 100 * kNanosPerMilli;
  e.close_within = 10 * kNanosPerSecond;
  e.max_reached_share = 0.5;
  return e;
}

// Cumulative counters sampled once a second, 10 calls a second. The fault lasts 10 s..20 s.
// With a breaker: it opens at 12 s; while open 1 call in 10 still reaches payment (a trial
// call taking 2 s), 9 are refused; closed again at 22 s. Without: every call reaches payment
// and takes 2 s.
World payment_outage(bool with_breaker) {
  World w;
  w.timeline = validate_test::steady(40);
  w.applied("fault#1", ActionKind::kFault, "payment", {"payment-1"}, 10, 20);
  double reached = 0, refused = 0, failed = 0, fast = 0, slow = 0;
  for (int t = 0; t <= 40; ++t) {
    bool faulty = t > 10 && t <= 20;
    bool open = with_breaker && t >= 12 && t < 22;
    if (open) {
      reached += 1;
      refused += 9;
      failed += 1;
      slow += 1;
    } else if (faulty) {
      reached += 10;
      failed += 10;
      slow += 10;
    } else {
      reached += 10;
      fast += 10;
    }
    BreakerSample s;
    s.t = t;
    s.caller = "checkout";
    s.dependency = "payment";
    s.pods = 1;
    s.open_pods = open ? 1 : 0;
    s.calls_reached = reached;
    s.calls_refused = refused;
    s.calls_failed = failed;
    s.latency = {{0.005, fast}, {0.1, fast}, {2.5, fast + slow}, {HUGE_VAL, fast + slow}};
    w.obs.breakers.push_back(s);
  }
  return w;
}

TEST(CircuitBreakerCheckTest, OpensFailsFastAndCloses) {
  World w = payment_outage(true);
  ValidationResult r = check_circuit_breaker(breaker(), w.input());
  EXPECT_FALSE(r.passed) << "1 call in 10 is slow: p99 is 2.5 s";
  EXPECT_NE(r.summary.find("calls did not fail fast: p99 <= 2.5 s > 0.1 s"), std::string::npos)
      << r.summary;
  Expectation p80 = breaker();
  p80.fast_fail_percentile = 80;  // 9 of 10 calls are refused at once
  EXPECT_TRUE(check_circuit_breaker(p80, w.input()).passed);
  // With a trial call every ~10 s instead (1 in 100), p99 is instant.
  for (BreakerSample& s : w.obs.breakers) {
    if (s.open_pods == 0) continue;
    s.calls_refused *= 11;
  }
  r = check_circuit_breaker(breaker(), w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary, "checkout's breaker for payment opened, failed fast and closed again");
  std::map<std::string, std::string> ev;
  for (const Evidence& e : r.evidence) ev[e.name] = e.value;
  EXPECT_EQ(ev["breaker open"], "2.0 s after the fault began");
  EXPECT_EQ(ev["breaker closed"], "2.0 s after the revert");
  EXPECT_EQ(ev["p99 of calls while open"], "0 s (refused at once by the breaker)");
  EXPECT_EQ(ev["calls reaching payment"], "10.0/s before the fault, 1.0/s while open");
}

TEST(CircuitBreakerCheckTest, DisabledBreakerNeverOpens) {
  World w = payment_outage(false);
  ValidationResult r = check_circuit_breaker(breaker(), w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary,
            "checkout's breaker for payment never said open while fault#1 was in effect");
  std::map<std::string, std::string> ev;
  for (const Evidence& e : r.evidence) ev[e.name] = e.value;
  EXPECT_EQ(ev["calls during the fault"], "100 reached payment, 100 failed");
}

TEST(CircuitBreakerCheckTest, TooManyCallsReachTheDependencyOrItStaysOpen) {
  World w = payment_outage(true);
  for (BreakerSample& s : w.obs.breakers) s.calls_refused = 0;  // "open" but lets all through
  Expectation e = breaker();
  e.fast_fail = 5 * kNanosPerSecond;
  ValidationResult r = check_circuit_breaker(e, w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.summary.find("1.0000 of the calls still reached payment (max 0.5000)"),
            std::string::npos)
      << r.summary;
  World stuck = payment_outage(true);
  for (BreakerSample& s : stuck.obs.breakers) {
    if (s.t >= 12) s.open_pods = 1;
    s.calls_refused *= 11;
  }
  r = check_circuit_breaker(breaker(), stuck.input());
  EXPECT_FALSE(r.passed);
  EXPECT_NE(r.summary.find("still not closed when the run ended"), std::string::npos) << r.summary;
}

TEST(CircuitBreakerCheckTest, NoMetricsForTheDependency) {
  World w = payment_outage(true);
  Expectation e = breaker();
  e.dependency = "paymnet";
  ValidationResult r = check_circuit_breaker(e, w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary,
            "no metrics from checkout's pods mention dependency paymnet (is the name right? see "
            "the run's warnings)");
}

}  // namespace
}  // namespace stampede
