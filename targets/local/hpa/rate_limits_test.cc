// Replays Kubernetes' TestScalingWithRules, TestConvertDesiredReplicasWithRules,
// TestCalculateScaleUpLimitWithScalingRules and TestCalculateScaleDownLimitWithBehaviors
// (horizontal_test.go) with their expected replicas and ScalingLimited reasons.
#include "targets/local/hpa/rate_limits.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stampede::local {
namespace {

constexpr double kNow = 10000;

// Kubernetes' generateScalingRules: a Pods and/or a Percent policy (0 leaves it out), Max.
ScalingRules rules(int pods, int pods_period, int percent, int percent_period, int window) {
  ScalingRules r;
  r.stabilization_window_seconds = window;
  r.select = SelectPolicy::kMax;
  if (pods != 0) r.policies.push_back({ScalingPolicy::Type::kPods, pods, pods_period});
  if (percent != 0) r.policies.push_back({ScalingPolicy::Type::kPercent, percent, percent_period});
  return r;
}

// Kubernetes' generateEventsUniformDistribution: the events spread over the last
// `period_seconds`, each in the middle of its segment (whole seconds, as Go truncates there).
std::vector<TimedScaleEvent> uniform(const std::vector<int>& changes, int period_seconds) {
  std::vector<TimedScaleEvent> events;
  const double segment = static_cast<double>(period_seconds) / static_cast<double>(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    const double ago =
        std::trunc(period_seconds - segment * static_cast<double>(i + 1) + segment / 2);
    events.push_back({kNow - ago, changes[i], false});
  }
  return events;
}

struct RulesCase {
  RulesCase& with_up(ScalingRules r) {
    up = std::move(r);
    return *this;
  }
  RulesCase& with_down(ScalingRules r) {
    down = std::move(r);
    return *this;
  }
  RulesCase& with_up_events(std::vector<TimedScaleEvent> e) {
    up_events = std::move(e);
    return *this;
  }
  RulesCase& with_down_events(std::vector<TimedScaleEvent> e) {
    down_events = std::move(e);
    return *this;
  }

  std::string name;
  int current = 0, desired = 0, min = 0, max = 0, expected = 0;
  std::string reason;
  std::optional<ScalingRules> up;    // absent: Kubernetes' default scaleUp rules
  std::optional<ScalingRules> down;  // absent: Kubernetes' default scaleDown rules
  std::vector<TimedScaleEvent> up_events;
  std::vector<TimedScaleEvent> down_events;
};

// One row of Kubernetes' table: `current` replicas, `desired` before limits, min/max, the
// expected replicas and ScalingLimited reason.
RulesCase row(std::string name, int current, int desired, int min, int max, int expected,
              std::string reason) {
  RulesCase c;
  c.name = std::move(name);
  c.current = current;
  c.desired = desired;
  c.min = min;
  c.max = max;
  c.expected = expected;
  c.reason = std::move(reason);
  return c;
}

TEST(KubernetesScalingWithRules, Table) {
  const RulesCase cases[] = {
      row("prenormalized desired replicas within range", 5, 7, 3, 8, 7, "DesiredWithinRange"),
      row("prenormalized desired replicas < minReplicas", 3, 1, 2, 8, 2, "TooFewReplicas"),
      row("prenormalized desired replicas within range when minReplicas is 0", 1, 0, 0, 10, 0,
          "DesiredWithinRange"),
      row("maxReplicas is the limit because maxReplicas < scaleUpLimit", 20, 1000, 1, 10, 10,
          "TooManyReplicas"),
      row("desired replica count is more than the maximum replica count", 100, 1000, 100, 150, 150,
          "TooManyReplicas"),
      row("scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies", 3,
          1000, 1, 2000, 4, "ScaleUpLimit")
          .with_up(rules(0, 0, 1, 60, 0)),
      row("scaleUp with default behavior", 10, 50, 1, 1000, 20, "ScaleUpLimit"),
      row("scaleUp with pods policy larger than percent policy", 10, 500, 1, 1000, 110,
          "ScaleUpLimit")
          .with_up(rules(100, 60, 100, 60, 0)),
      row("scaleUp with percent policy larger than pods policy", 10, 500, 1, 1000, 20,
          "ScaleUpLimit")
          .with_up(rules(2, 60, 100, 60, 0)),
      row("scaleUp with spec MaxReplicas limitation with large pod policy", 10, 50, 1, 1000, 50,
          "DesiredWithinRange")
          .with_up(rules(100, 60, 0, 0, 0)),
      row("scaleUp with spec MaxReplicas limitation with large percent policy", 10, 50, 1, 1000, 50,
          "DesiredWithinRange")
          .with_up(rules(10000, 60, 0, 0, 0)),
      row("scaleUp with pod policy limitation", 10, 50, 1, 1000, 40, "ScaleUpLimit")
          .with_up(rules(30, 60, 0, 0, 0)),
      row("scaleUp with percent policy limitation", 10, 50, 1, 1000, 30, "ScaleUpLimit")
          .with_up(rules(0, 0, 200, 60, 0)),
      row("scaleDown with percent policy larger than pod policy", 100, 2, 1, 1000, 80,
          "ScaleDownLimit")
          .with_down(rules(20, 60, 1, 60, 300)),
      row("scaleDown with pod policy larger than percent policy", 100, 2, 1, 1000, 98,
          "ScaleDownLimit")
          .with_down(rules(2, 60, 1, 60, 300)),
      row("scaleDown with spec MinReplicas=nil limitation with large pod policy", 10, 0, 1, 1000, 1,
          "TooFewReplicas")
          .with_down(rules(100, 60, 0, 0, 300)),
      row("scaleDown with spec MinReplicas limitation with large percent policy", 10, 2, 5, 1000, 5,
          "TooFewReplicas")
          .with_down(rules(0, 0, 100, 60, 300)),
      row("scaleDown with pod policy limitation", 10, 2, 1, 1000, 5, "ScaleDownLimit")
          .with_down(rules(5, 60, 0, 0, 300)),
      row("scaleDown with percent policy limitation", 10, 5, 1, 1000, 5, "DesiredWithinRange")
          .with_down(rules(0, 0, 50, 60, 300)),
      row("scaleUp with spec MaxReplicas limitation with large pod policy and events", 100, 500, 1,
          200, 200, "TooManyReplicas")
          .with_up(rules(300, 60, 0, 0, 0))
          .with_up_events(uniform({1, 5, 9}, 120)),
      row("scaleUp with spec MaxReplicas limitation with large percent policy and events", 100, 500,
          1, 200, 200, "TooManyReplicas")
          .with_up(rules(0, 0, 10000, 60, 0))
          .with_up_events(uniform({1, 5, 9}, 120)),
      row("scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent "
          "scale up events",
          100, 500, 1, 1000, 100, "ScaleUpLimit")
          .with_up(rules(5, 120, 0, 0, 0))
          .with_up_events(uniform({1, 5, 9}, 120)),
      row("scaleUp with pod policy and previous scale up events", 100, 500, 1, 1000, 235,
          "ScaleUpLimit")
          .with_up(rules(150, 120, 0, 0, 0))
          .with_up_events(uniform({1, 5, 9}, 120)),
      row("scaleUp with percent policy and previous scale up events", 100, 500, 1, 1000, 255,
          "ScaleUpLimit")
          .with_up(rules(0, 0, 200, 120, 0))
          .with_up_events(uniform({1, 5, 9}, 120)),
      row("scaleUp with percent policy and previous scale up and down events", 6, 24, 1, 1000, 16,
          "ScaleUpLimit")
          .with_up(rules(0, 0, 300, 300, 0))
          .with_up_events(uniform({4}, 120))
          .with_down_events(uniform({2}, 120)),
      row("scaleDown with default policy and previous events", 10, 5, 1, 1000, 5,
          "DesiredWithinRange")
          .with_down_events(uniform({1, 5, 9}, 120)),
      row("scaleDown with spec MinReplicas=nil limitation with large pod policy and previous "
          "events",
          100, 0, 1, 1000, 1, "TooFewReplicas")
          .with_down(rules(115, 120, 0, 0, 300))
          .with_down_events(uniform({1, 5, 9}, 120)),
      row("scaleDown with spec MinReplicas limitation with large pod policy and previous events",
          100, 0, 5, 1000, 5, "TooFewReplicas")
          .with_down(rules(130, 120, 0, 0, 300))
          .with_down_events(uniform({1, 5, 9}, 120)),
      row("scaleDown with spec MinReplicas limitation with large percent policy and previous "
          "events",
          100, 2, 5, 1000, 5, "TooFewReplicas")
          .with_down(rules(0, 0, 100, 120, 300))
          .with_down_events(uniform({1, 5, 9}, 120)),
      row("scaleDown with pod policy limitation and previous events", 100, 2, 1, 1000, 100,
          "ScaleDownLimit")
          .with_down(rules(5, 120, 0, 0, 300))
          .with_down_events(uniform({1, 5, 9}, 120)),
      row("scaleDown with percent policy limitation and previous events", 100, 0, 1, 1000, 56,
          "ScaleDownLimit")
          .with_down(rules(0, 0, 50, 120, 300))
          .with_down_events(uniform({2, 4, 6}, 120)),
      row("scaleDown with percent policy and previous scale up and down events", 10, 1, 1, 1000, 6,
          "ScaleDownLimit")
          .with_down(rules(0, 0, 50, 180, 0))
          .with_up_events(uniform({2}, 120))
          .with_down_events(uniform({4}, 120)),
      row("scaleDown with previous events preventing further scale down", 100, 0, 1, 1000, 100,
          "ScaleDownLimit")
          .with_down(rules(0, 0, 10, 120, 300))
          .with_down_events(uniform({10, 10, 10}, 120)),
      row("scaleDown with with previous events still allowing more scale down", 10, 5, 1, 1000, 5,
          "DesiredWithinRange")
          .with_down(rules(0, 0, 1000, 120, 300))
          .with_down_events(uniform({10, 10, 10}, 120)),
      row("check 'outdated' flag for events for one behavior for up", 100, 200, 1, 1000, 200,
          "DesiredWithinRange")
          .with_up(rules(1000, 60, 0, 0, 0))
          .with_up_events(uniform({8, 12, 9, 11}, 120)),
      row("check that events were not marked 'outdated' for two different policies in the behavior "
          "for up",
          100, 200, 1, 1000, 200, "DesiredWithinRange")
          .with_up(rules(1000, 120, 100, 60, 0))
          .with_up_events(uniform({8, 12, 9, 11}, 120)),
      row("check that events were marked 'outdated' for two different policies in the behavior for "
          "up",
          100, 200, 1, 1000, 200, "DesiredWithinRange")
          .with_up(rules(1000, 30, 100, 60, 0))
          .with_up_events(uniform({8, 12, 9, 11}, 120)),
      row("check 'outdated' flag for events for one behavior for down", 100, 5, 1, 1000, 5,
          "DesiredWithinRange")
          .with_down(rules(1000, 60, 0, 0, 300))
          .with_down_events(uniform({8, 12, 9, 11}, 120)),
      row("check that events were not marked 'outdated' for two different policies in the behavior "
          "for down",
          100, 5, 1, 1000, 5, "DesiredWithinRange")
          .with_down(rules(1000, 120, 100, 60, 300))
          .with_down_events(uniform({8, 12, 9, 11}, 120)),
      row("check that events were marked 'outdated' for two different policies in the behavior for "
          "down",
          100, 5, 1, 1000, 5, "DesiredWithinRange")
          .with_down(rules(1000, 30, 100, 60, 300))
          .with_down_events(uniform({8, 12, 9, 11}, 120)),
  };
  for (const RulesCase& c : cases) {
    HpaSpec spec;
    spec.min_replicas = c.min;
    spec.max_replicas = c.max;
    spec.scale_up = c.up ? *c.up : default_scale_up_rules();
    spec.scale_down = c.down ? *c.down : default_scale_down_rules();
    ScaleEventLog events;
    events.set_history(c.up_events, c.down_events);
    const LimitedReplicas got = limit_with_behavior(kNow, c.current, c.desired, spec, events);
    EXPECT_EQ(got.replicas, c.expected) << c.name;
    EXPECT_EQ(got.reason, c.reason) << c.name;
  }
}

TEST(KubernetesConvertDesiredReplicasWithRules, Table) {
  struct Row {
    int current, desired, min, max, expected;
    const char* reason;
  };
  const Row rows[] = {
      {5, 7, 3, 8, 7, "DesiredWithinRange"},  {3, 1, 2, 8, 2, "TooFewReplicas"},
      {1, 0, 0, 10, 0, "DesiredWithinRange"}, {20, 1000, 1, 10, 10, "TooManyReplicas"},
      {3, 1000, 1, 2000, 6, "ScaleUpLimit"},  // calculateScaleUpLimit(3) = max(2 × 3, 4)
  };
  for (const Row& r : rows) {
    const LimitedReplicas got = limit_without_behavior(r.current, r.desired, r.min, r.max);
    EXPECT_EQ(got.replicas, r.expected) << r.current << " -> " << r.desired;
    EXPECT_EQ(got.reason, r.reason) << r.current << " -> " << r.desired;
  }
  EXPECT_EQ(limit_without_behavior(1, 100, 1, 100).replicas, 4);  // the floor of 4
}

TEST(KubernetesScaleLimits, MinSelectPolicy) {
  ScalingRules r = rules(2, 60, 50, 60, 300);
  r.select = SelectPolicy::kMin;
  // Up from 1: Pods gives 3, Percent ceil(1.5) = 2; Min picks 2.
  EXPECT_EQ(scale_up_limit(kNow, 1, {}, {}, r), 2);
  // Down from 5: Pods gives 3, Percent int(2.5) = 2; Min (the smaller change) picks 3.
  EXPECT_EQ(scale_down_limit(kNow, 5, {}, {}, r), 3);
}

TEST(ScaleLimits, DisabledDirectionKeepsCurrent) {
  HpaSpec spec;
  spec.min_replicas = 1;
  spec.max_replicas = 50;
  spec.scale_up = default_scale_up_rules();
  spec.scale_down = default_scale_down_rules();
  spec.scale_up.select = SelectPolicy::kDisabled;
  const ScaleEventLog none;
  LimitedReplicas up = limit_with_behavior(kNow, 3, 10, spec, none);
  EXPECT_EQ(up.replicas, 3);
  EXPECT_EQ(up.reason, "ScaleUpLimit");
  EXPECT_EQ(limit_with_behavior(kNow, 3, 1, spec, none).replicas, 1);  // down still allowed
  spec.scale_down.select = SelectPolicy::kDisabled;
  LimitedReplicas down = limit_with_behavior(kNow, 3, 1, spec, none);
  EXPECT_EQ(down.replicas, 3);
  EXPECT_EQ(down.reason, "ScaleDownLimit");
}

TEST(ScaleLimits, EventsOnThePeriodBoundaryNoLongerCount) {
  // An event exactly period_seconds old is outside the period (Kubernetes: After(cutoff)).
  const std::vector<TimedScaleEvent> events = {{kNow - 15, 4, false}, {kNow - 14.5, 1, false}};
  EXPECT_EQ(replicas_changed_in_period(kNow, 15, events), 1);
  EXPECT_EQ(replicas_changed_in_period(kNow, 16, events), 5);
}

}  // namespace
}  // namespace stampede::local
