#include <gtest/gtest.h>

#include "engine/validate/validate_test_util.h"

namespace stampede {
namespace {

using validate_test::World;

Expectation zero_downtime() {
  Expectation e;
  e.kind = ExpectKind::kZeroDowntime;
  e.name = "zero-downtime during rollout-restart#1";
  e.during = "rollout-restart#1";
  e.min = 0.999;
  return e;
}

// A rollout of frontend from 10 s to 25 s.
World rollout(bool finished) {
  World w;
  w.timeline = validate_test::steady(40);
  w.applied("rollout-restart#1", ActionKind::kRolloutRestart, "frontend", {}, 10, 10);
  w.event(10.1, "rollout-started", "frontend");
  w.event(14, "pod-ready", "frontend", "frontend-4");
  w.event(16, "pod-terminated", "frontend", "frontend-1");
  if (finished) w.event(25, "rollout-finished", "frontend");
  return w;
}

TEST(ZeroDowntimeCheckTest, CleanRolloutPasses) {
  World w = rollout(true);
  ValidationResult r = check_zero_downtime(zero_downtime(), w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary,
            "no downtime during rollout-restart#1: availability 1.0000, no connection resets");
  EXPECT_EQ(r.evidence[0].value, "10.0 s to 25.0 s (rollout finished)");
  EXPECT_EQ(r.evidence.back().value, "1 became ready, 1 went away");
}

TEST(ZeroDowntimeCheckTest, FailedRequestsOrResetsFailIt) {
  World w = rollout(true);
  validate_test::fail_between(w.timeline, 16, 16.5, 4);  // 20 of 3000
  w.obs.connection_errors.push_back(ConnectionErrors{17, 3, 5});
  w.obs.connection_errors.push_back(ConnectionErrors{40, 9, 0});  // after the rollout
  ValidationResult r = check_zero_downtime(zero_downtime(), w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary,
            "downtime during rollout-restart#1: availability 0.9933 < 0.9990 (20 requests "
            "failed); 3 connection resets");
  std::map<std::string, std::string> ev;
  for (const Evidence& e : r.evidence) ev[e.name] = e.value;
  EXPECT_EQ(ev["connection resets"], "3");
  EXPECT_EQ(ev["connections refused"], "5");
}

TEST(ZeroDowntimeCheckTest, UnfinishedRolloutCannotPass) {
  World w = rollout(false);
  ValidationResult r = check_zero_downtime(zero_downtime(), w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary,
            "downtime during rollout-restart#1: the rollout did not finish before the run ended");
}

}  // namespace
}  // namespace stampede
