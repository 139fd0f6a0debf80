#include "targets/local/probe/probe_tracker.h"

#include <gtest/gtest.h>

namespace stampede::local {
namespace {

ProbeSpec spec(int success, int failure, int delay = 0, int period = 10) {
  ProbeSpec s;
  s.success_threshold = success;
  s.failure_threshold = failure;
  s.initial_delay_seconds = delay;
  s.period_seconds = period;
  return s;
}

TEST(ProbeTracker, InitialResultsAreTheKubelets) {
  EXPECT_TRUE(ProbeTracker(spec(1, 3), ProbeRole::kLiveness, 0).result());
  EXPECT_FALSE(ProbeTracker(spec(1, 3), ProbeRole::kReadiness, 0).result());
  EXPECT_FALSE(ProbeTracker(spec(1, 3), ProbeRole::kStartup, 0).result());
}

TEST(ProbeTracker, FailureThresholdFailuresInARowFlipLiveness) {
  ProbeTracker t(spec(1, 3), ProbeRole::kLiveness, 0);
  EXPECT_FALSE(t.record(false, "a"));
  EXPECT_FALSE(t.record(false, "b"));
  EXPECT_FALSE(t.record(true, "ok"));  // a success breaks the run
  EXPECT_FALSE(t.record(false, "c"));
  EXPECT_FALSE(t.record(false, "d"));
  EXPECT_TRUE(t.result());
  EXPECT_TRUE(t.record(false, "e"));
  EXPECT_FALSE(t.result());
  EXPECT_EQ(t.last_message(), "e");
  EXPECT_EQ(t.run_length(), 3);
}

TEST(ProbeTracker, ReadinessNeedsSuccessThresholdSuccesses) {
  ProbeTracker t(spec(2, 2), ProbeRole::kReadiness, 0);
  EXPECT_FALSE(t.record(true, ""));
  EXPECT_TRUE(t.record(true, ""));
  EXPECT_TRUE(t.result());
  EXPECT_FALSE(t.record(false, ""));
  EXPECT_TRUE(t.result());
  EXPECT_TRUE(t.record(false, ""));
  EXPECT_FALSE(t.result());
  EXPECT_FALSE(t.record(false, ""));  // already failed: no change
  EXPECT_FALSE(t.record(true, ""));
  EXPECT_TRUE(t.record(true, ""));
}

TEST(ProbeTracker, StartupStartsUnknownSoItsFirstVerdictIsAChange) {
  ProbeTracker fails(spec(1, 2), ProbeRole::kStartup, 0);
  EXPECT_FALSE(fails.record(false, ""));
  EXPECT_TRUE(fails.record(false, ""));  // Unknown -> Failure: the kubelet kills the container
  EXPECT_FALSE(fails.result());
  ProbeTracker passes(spec(1, 2), ProbeRole::kStartup, 0);
  EXPECT_TRUE(passes.record(true, ""));
  EXPECT_TRUE(passes.result());
}

TEST(ProbeTracker, ScheduleHonoursInitialDelayThenPeriod) {
  ProbeTracker t(spec(1, 3, 5, 2), ProbeRole::kReadiness, 100);
  EXPECT_EQ(t.next_due(), 105);
  t.begin(105.5);
  EXPECT_TRUE(t.in_flight());
  EXPECT_EQ(t.next_due(), 107.5);
  t.record(true, "");
  EXPECT_FALSE(t.in_flight());
}

}  // namespace
}  // namespace stampede::local
