#include <gtest/gtest.h>

#include "engine/validate/validate_test_util.h"

namespace stampede {
namespace {

using validate_test::World;

Expectation recovery(double within_s) {
  Expectation e;
  e.kind = ExpectKind::kRecovery;
  e.name = "recovery after pod-kill#1";
  e.after = "pod-kill#1";
  e.within = static_cast<Nanos>(within_s * kNanosPerSecond);
  return e;
}

// pod-kill at 10.0 s; requests fail from 10.3 s to 12.0 s; its replacement is ready at 11.9 s.
World killed() {
  World w;
  w.timeline = validate_test::steady(30);
  validate_test::fail_between(w.timeline, 10.3, 12.0, 5);
  w.applied("pod-kill#1", ActionKind::kPodKill, "cart", {"cart-1"}, 10, 10);
  w.event(10.1, "pod-created", "cart", "cart-2");
  w.event(11.9, "pod-ready", "cart", "cart-2");
  return w;
}

TEST(RecoveryCheckTest, TimeToDetectAndRecoverAt100msResolution) {
  World w = killed();
  ValidationResult r = check_recovery(recovery(5), w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary, "recovered 2.0 s after pod-kill#1 (detected after 0.3 s)");
  std::map<std::string, std::string> ev;
  for (const Evidence& e : r.evidence) ev[e.name] = e.value;
  EXPECT_EQ(ev["time to detect"], "0.3 s");
  EXPECT_EQ(ev["time to recover"], "2.0 s");
  EXPECT_EQ(ev["impact"], "85 of 340 requests failed in 1.7 s");
  EXPECT_EQ(ev["pod-ready"], "cart/cart-2");
}

TEST(RecoveryCheckTest, TooSlowOrDetectedTooLate) {
  World w = killed();
  ValidationResult r = check_recovery(recovery(1.5), w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "recovered in 2.0 s > 1.5 s");
  Expectation e = recovery(5);
  e.detect_within = 200 * kNanosPerMilli;
  r = check_recovery(e, w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "detected in 0.3 s > 0.2 s");
}

TEST(RecoveryCheckTest, StableStretchMustHold) {
  World w = killed();
  // A relapse: good for 1 s, then bad again until 14 s.
  validate_test::fail_between(w.timeline, 13.0, 14.0, 5);
  ValidationResult r = check_recovery(recovery(10), w.input());
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(r.summary, "recovered 4.0 s after pod-kill#1 (detected after 0.3 s)");
  Expectation shorter = recovery(10);
  shorter.stable = 500 * kNanosPerMilli;
  r = check_recovery(shorter, w.input());
  EXPECT_EQ(r.summary, "recovered 2.0 s after pod-kill#1 (detected after 0.3 s)");
}

TEST(RecoveryCheckTest, NeverRecoveredOrNoImpact) {
  World w = killed();
  validate_test::fail_between(w.timeline, 10.3, 30, 5);
  ValidationResult r = check_recovery(recovery(5), w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary,
            "did not recover after pod-kill#1: no 2.0 s stretch met the SLO before the run ended");
  World fine;
  fine.timeline = validate_test::steady(30);
  fine.applied("pod-kill#1", ActionKind::kPodKill, "cart", {"cart-1"}, 10, 10);
  r = check_recovery(recovery(5), fine.input());
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(r.summary, "no impact seen after pod-kill#1: every 100 ms bucket met the SLO");
}

TEST(RecoveryCheckTest, RecoveryOfAFaultCountsFromItsRevert) {
  World w;
  w.timeline = validate_test::steady(40);
  validate_test::fail_between(w.timeline, 10.1, 20.6, 20);
  w.applied("fault#1", ActionKind::kFault, "payment", {"payment-1"}, 10, 20);
  Expectation e = recovery(1);
  e.after = "fault#1";
  ValidationResult r = check_recovery(e, w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary, "recovered 0.6 s after fault#1 (detected after 0.1 s)");
}

}  // namespace
}  // namespace stampede
