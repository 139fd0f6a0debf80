#include <gtest/gtest.h>

#include "engine/validate/validate_test_util.h"

namespace stampede {
namespace {

using validate_test::World;

Expectation availability(std::optional<double> min, std::optional<double> by_time = {}) {
  Expectation e;
  e.kind = ExpectKind::kAvailability;
  e.min = min;
  e.min_by_time = by_time;
  e.name = "availability";
  return e;
}

// A 60 s run; fault#1 from 20 s to 30 s; every request fails from 20 s to 22 s: 400 of the
// 2000 requests while the fault lasted, 20 of its 100 buckets.
World faulty() {
  World w;
  w.timeline = validate_test::steady(60);
  validate_test::fail_between(w.timeline, 20, 22, 20);
  w.applied("fault#1", ActionKind::kFault, "payment", {"payment-1"}, 20, 30);
  return w;
}

TEST(AvailabilityCheckTest, DuringAnActionPasses) {
  World w = faulty();
  Expectation e = availability(0.75, 0.75);
  e.during = "fault#1";
  ValidationResult r = check_availability(e, w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary, "availability during fault#1 0.8000 by requests, 0.8000 by time");
  ASSERT_GE(r.evidence.size(), 5u);
  EXPECT_EQ(r.evidence[0].value, "during fault#1: 20.0 s to 30.0 s (reverted)");
  EXPECT_EQ(r.evidence[1].value, "1600 of 2000 succeeded");
  EXPECT_EQ(r.evidence[3].value, "0.8000 (80 of 100 100 ms buckets met the SLO)");
  EXPECT_EQ(r.evidence[4].name, "first bucket below the SLO");
  EXPECT_DOUBLE_EQ(r.evidence[4].t, 20);
}

TEST(AvailabilityCheckTest, DuringAnActionFailsByRequestsAndByTime) {
  World w = faulty();
  Expectation e = availability(0.9, 0.85);
  e.during = "fault#1";
  ValidationResult r = check_availability(e, w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary,
            "availability during fault#1: by requests 0.8000 < 0.9000, by time 0.8000 < 0.8500");
}

TEST(AvailabilityCheckTest, SloLatencyMakesSlowBucketsBad) {
  World w;
  w.timeline = validate_test::steady(60);
  validate_test::slow_between(w.timeline, 20, 25);
  w.applied("proxy-fault#1", ActionKind::kProxyFault, "payment", {}, 20, 30);
  Expectation e = availability(std::nullopt, 0.9);
  e.during = "proxy-fault#1";
  e.slo.latency_ms = 500;
  ValidationResult r = check_availability(e, w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "availability during proxy-fault#1: by time 0.5000 < 0.9000");
  e.slo.latency_ms = 0;  // no latency SLO: slow is fine
  EXPECT_TRUE(check_availability(e, w.input()).passed);
}

TEST(AvailabilityCheckTest, InstantActionLastsUntilItsPodsAreReadyAgain) {
  World w;
  w.timeline = validate_test::steady(60);
  validate_test::fail_between(w.timeline, 10, 11, 10);
  w.applied("pod-kill#1", ActionKind::kPodKill, "cart", {"cart-1"}, 10, 10);
  w.event(10.1, "pod-created", "cart", "cart-5");  // the killed pod's replacement
  w.event(12.5, "pod-ready", "cart", "cart-5");
  Expectation e = availability(0.99);
  e.during = "pod-kill#1";
  ValidationResult r = check_availability(e, w.input());
  EXPECT_EQ(r.evidence[0].value, "during pod-kill#1: 10.0 s to 12.5 s (pods ready again)");
  // 100 of 500 requests failed.
  EXPECT_EQ(r.evidence[1].value, "400 of 500 succeeded");
  EXPECT_FALSE(r.passed);
}

TEST(AvailabilityCheckTest, AnInstantActionOnSeveralPodsLastsUntilAllAreReady) {
  World w;
  w.timeline = validate_test::steady(60);
  w.applied("pod-kill#1", ActionKind::kPodKill, "cart", {"cart-1", "cart-2"}, 10, 10);
  w.event(10.1, "pod-created", "cart", "cart-3");
  w.event(10.1, "pod-created", "cart", "cart-4");
  w.event(10.5, "pod-ready", "cart", "cart-1");  // a killed pod is no replacement
  w.event(10.7, "pod-ready", "cart", "cart-7");  // nor one that was there before
  w.event(11, "pod-ready", "cart", "cart-3");
  w.event(11.5, "pod-ready", "cart", "cart-3");  // the same pod again does not count twice
  w.event(13, "pod-ready", "cart", "cart-4");
  w.applied("pod-terminate#1", ActionKind::kPodTerminate, "payment", {"payment-a", "payment-b"}, 20,
            20);
  w.event(20.1, "pod-created", "payment", "payment-c");
  w.event(20.1, "pod-created", "payment", "payment-d");
  w.event(21, "pod-ready", "payment", "payment-c");
  w.event(22, "pod-ready", "cart", "cart-9");  // another deployment's pod does not count
  w.event(24, "pod-ready", "payment", "payment-d");
  Expectation e = availability(0.99);
  e.during = "pod-kill#1";
  EXPECT_EQ(check_availability(e, w.input()).evidence[0].value,
            "during pod-kill#1: 10.0 s to 13.0 s (pods ready again)");
  e.during = "pod-terminate#1";
  EXPECT_EQ(check_availability(e, w.input()).evidence[0].value,
            "during pod-terminate#1: 20.0 s to 24.0 s (pods ready again)");
}

TEST(AvailabilityCheckTest, AfterAndBaselineAndWholeRun) {
  World w = faulty();
  validate_test::fail_between(w.timeline, 5, 6, 1);  // a small baseline blip: 10 of 4000
  Expectation after = availability(0.999);
  after.after = "fault#1";
  after.window = 10 * kNanosPerSecond;
  ValidationResult r = check_availability(after, w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.evidence[0].value, "after fault#1: 30.0 s to 40.0 s (after reverted)");
  Expectation base = availability(0.999);
  base.phase = "baseline";
  r = check_availability(base, w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.evidence[1].value, "3990 of 4000 succeeded");
  Expectation run = availability(0.9);
  run.phase = "run";
  r = check_availability(run, w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.evidence[1].value, "11590 of 12000 succeeded");
}

TEST(AvailabilityCheckTest, NoRequestsOrNoActionIsAFailure) {
  World w = faulty();
  w.timeline = FineTimeline();
  Expectation e = availability(0.9);
  e.during = "fault#1";
  ValidationResult r = check_availability(e, w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "availability during fault#1: no requests during fault#1: nothing to judge");
  World none;
  none.obs.actions.push_back(AppliedAction{
      "fault#1", ActionKind::kFault, "x", {}, {}, 1, -1, -1, "fake platform: connection refused"});
  r = check_availability(e, none.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "action fault#1 was never applied: fake platform: connection refused");
}

TEST(PhaseAvailabilityTest, BaselineDuringAndRecoveryForEveryAction) {
  World w = faulty();
  std::vector<PhaseAvailability> phases = phase_availability(w.input());
  ASSERT_EQ(phases.size(), 3u);
  EXPECT_EQ(phases[0].name, "baseline");
  EXPECT_EQ(phases[0].end, 20);
  EXPECT_EQ(phases[0].by_requests, 1);
  EXPECT_EQ(phases[1].name, "during fault#1");
  EXPECT_EQ(phases[1].requests, 2000);
  EXPECT_EQ(phases[1].failed, 400);
  EXPECT_DOUBLE_EQ(phases[1].by_time, 0.8);
  EXPECT_EQ(phases[2].name, "recovery after fault#1");
  EXPECT_EQ(phases[2].start, 30);
  EXPECT_EQ(phases[2].end, 60);
}

}  // namespace
}  // namespace stampede
