#include <gtest/gtest.h>

#include "engine/validate/validate_test_util.h"

namespace stampede {
namespace {

using validate_test::World;

Expectation scaling() {
  Expectation e;
  e.kind = ExpectKind::kAutoscaling;
  e.name = "autoscaling of frontend";
  e.target = "frontend";
  e.from = 10 * kNanosPerSecond;
  e.scale_up_within = 20 * kNanosPerSecond;
  return e;
}

struct Step {
  double t;
  double utilization;
  int current;
  int desired;
};

World hpa(int max_replicas, const std::vector<Step>& steps, double window = -1) {
  World w;
  w.timeline = validate_test::steady(120);
  for (const Step& s : steps) {
    HpaSample h;
    h.t = s.t;
    h.deployment = "frontend";
    h.min_replicas = 1;
    h.max_replicas = max_replicas;
    h.target_utilization = 70;
    h.utilization = s.utilization;
    h.current = s.current;
    h.desired = s.desired;
    h.scale_down_window_seconds = window;
    w.obs.hpa.push_back(h);
  }
  w.run_end = 120;
  return w;
}

// Load step at 10 s: 1 pod at 200% (formula: ceil(1 x 200/70) = 3); scaled to 3 at 16 s,
// settled at 60% (within tolerance of 70%... 60/70 = 0.857: outside, ceil(3 x 0.857) = 3).
std::vector<Step> healthy() {
  return {{5, 10, 1, 1},  {10, 20, 1, 1}, {12, 200, 1, 1}, {15, 200, 1, 1}, {16, 200, 1, 3},
          {20, 66, 3, 3}, {40, 66, 3, 3}, {60, 10, 3, 3},  {100, 10, 3, 1}, {110, 10, 1, 1}};
}

TEST(AutoscalingCheckTest, HealthyHpaPasses) {
  World w = hpa(4, healthy(), 30);
  ValidationResult r = check_autoscaling(scaling(), w.input());
  EXPECT_TRUE(r.passed) << r.summary;
  EXPECT_EQ(r.summary, "frontend scaled 1 -> 3, 6.0 s after the load step");
  std::map<std::string, std::string> ev;
  for (const Evidence& e : r.evidence) ev[e.name] = e.value;
  EXPECT_EQ(ev["HPA"], "min 1, max 4, target 70% CPU");
  EXPECT_EQ(ev["replicas reached"], "3 (formula: 3)");
  EXPECT_EQ(ev["first scale-down"], "84.0 s after the last scale-up (window 30.0 s)");
  EXPECT_EQ(ev["SLO violation while scaling up"], "0.0 s");
}

TEST(AutoscalingCheckTest, MaxReplicasOfOneNeverScales) {
  std::vector<Step> steps;
  for (double t = 10; t <= 60; t += 5) steps.push_back({t, t < 12 ? 20.0 : 280.0, 1, 1});
  World w = hpa(1, steps);
  ValidationResult r = check_autoscaling(scaling(), w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary,
            "frontend: no scale-up within 20.0 s of the load step (replicas stayed at 1); the "
            "formula asked for 4 replicas (cpu 280% of 70%) but max_replicas is 1");
}

TEST(AutoscalingCheckTest, TooSlowTooFewAndTooEarlyDown) {
  // Scales at 35 s (25 s after the step), only to 2 while the formula says 3, and scales down
  // 5 s later although the window is 30 s.
  World w = hpa(4, {{10, 200, 1, 1}, {35, 200, 1, 2}, {36, 150, 2, 2}, {41, 150, 2, 1}}, 30);
  ValidationResult r = check_autoscaling(scaling(), w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary,
            "frontend: first scale-up 25.0 s after the load step > 20.0 s; scaled down 6.0 s "
            "after the last scale-up, inside the stabilization window 30.0 s");
  Expectation strict = scaling();
  strict.scale_up_within = 60 * kNanosPerSecond;
  strict.replica_tolerance = 0;
  strict.scale_down_window = 0;
  World w2 = hpa(4, {{10, 200, 1, 1}, {35, 200, 1, 2}, {36, 150, 2, 2}}, 30);
  r = check_autoscaling(strict, w2.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "frontend: reached 2 replicas, the formula predicts 3 for the measured CPU");
}

TEST(AutoscalingCheckTest, SloViolationWhileScalingUp) {
  World w = hpa(4, healthy(), 30);
  validate_test::fail_between(w.timeline, 11, 14, 20);
  Expectation e = scaling();
  e.max_violation = 2 * kNanosPerSecond;
  ValidationResult r = check_autoscaling(e, w.input());
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.summary, "frontend: 3.0 s of SLO violation > 2.0 s");
}

}  // namespace
}  // namespace stampede
