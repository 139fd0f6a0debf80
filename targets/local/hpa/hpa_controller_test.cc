// HpaController over whole syncs: the formula, tolerance, rounding, stabilization, policies,
// missing metrics, unready pods, requests of 0, min/max, and a timeline that scales out to the
// count the formula predicts and back down after the window. Kubernetes' controller-level cases
// (TestScaleUpRCImmediately, TestScaleDownRCImmediately, TestAvoidUnnecessaryUpdates) included.
#include "targets/local/hpa/hpa_controller.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "targets/local/hpa/replica_calculator.h"

namespace stampede::local {
namespace {

constexpr double kRequest = 100;  // millicores per pod

// `n` ready pods, long past initialisation, each using `cpu` millicores of a 100m request.
std::vector<PodCpu> pods(int n, double cpu, double now) {
  std::vector<PodCpu> out;
  for (int i = 0; i < n; ++i) {
    PodCpu p;
    p.name = "web-" + std::to_string(i);
    p.ready = true;
    p.cpu_millicores = cpu;
    p.request_millicores = kRequest;
    p.started_at = now - 3600;
    p.ready_changed_at = now - 3600;
    p.metric_window_start = now - 15;
    out.push_back(p);
  }
  return out;
}

HpaSpec spec(int min, int max, int target) {
  Result<HpaSpec> s = default_hpa_spec(min, max, target);
  EXPECT_TRUE(s.ok());
  return s.value();
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(HpaController, ScalesByTheFormula) {
  HpaController hpa(spec(1, 10, 50));
  const HpaDecision d = hpa.sync(0, 2, pods(2, 80, 0));  // 80% of a 50% target
  EXPECT_TRUE(d.able_to_scale);
  EXPECT_EQ(d.current_replicas, 2);
  EXPECT_EQ(d.recommended_replicas, 4);  // ceil(2 × 1.6)
  EXPECT_EQ(d.desired_replicas, 4);
  EXPECT_EQ(d.utilization, 80);
  EXPECT_EQ(d.limit_reason, "DesiredWithinRange");
  EXPECT_FALSE(d.stabilized);
  EXPECT_EQ(d.ready_pods, 2);
  EXPECT_EQ(d.reason, "cpu 80% of 50% target: 2 -> 4");
}

TEST(HpaController, ToleranceKeepsTheCount) {
  for (double cpu : {45.0, 54.0, 55.0}) {  // ratios 0.9, 1.08, 1.1: within 0.1
    HpaController hpa(spec(1, 10, 50));
    const HpaDecision d = hpa.sync(0, 3, pods(3, cpu, 0));
    EXPECT_EQ(d.desired_replicas, 3) << cpu;
    EXPECT_TRUE(contains(d.reason, "within tolerance: keeping 3")) << d.reason;
  }
  HpaController hpa(spec(1, 10, 50));
  EXPECT_EQ(hpa.sync(0, 3, pods(3, 56, 0)).desired_replicas, 4);  // 1.12: ceil(3.36)
}

TEST(HpaController, RoundsUp) {
  HpaController hpa(spec(1, 10, 50));
  // 3 pods at 60%: 3 × 1.2 = 3.6 -> 4; utilisation is truncated to whole percent first.
  const HpaDecision d = hpa.sync(0, 3, pods(3, 60.9, 0));
  EXPECT_EQ(d.utilization, 61);  // 61m rounded up from 60.9m, 61% truncated
  EXPECT_EQ(d.recommended_replicas, 4);
}

TEST(HpaController, StabilizationWindowHoldsAScaleDown) {
  HpaController hpa(spec(1, 10, 50));
  int current = 4;
  EXPECT_EQ(hpa.sync(0, current, pods(current, 50, 0)).desired_replicas, 4);
  // The load drops: the formula says 1 from now on; the 300 s window keeps the 4 of t = 0.
  for (double t = 15; t < 300; t += 15) {
    const HpaDecision d = hpa.sync(t, current, pods(current, 10, t));
    ASSERT_EQ(d.recommended_replicas, 1) << t;
    ASSERT_EQ(d.desired_replicas, 4) << t;
    EXPECT_TRUE(d.stabilized);
    EXPECT_EQ(d.reason,
              "cpu 10% of 50% target: recommends 1, held at 4 by the scaleDown stabilization "
              "window (300 s): keeping 4");
  }
  const HpaDecision d = hpa.sync(300, current, pods(current, 10, 300));
  EXPECT_EQ(d.desired_replicas, 1);
  EXPECT_EQ(d.reason, "cpu 10% of 50% target: 4 -> 1");
}

TEST(HpaController, ShortScaleDownWindow) {
  HpaSpec s = spec(1, 10, 50);
  s.scale_down.stabilization_window_seconds = 30;
  HpaController hpa(s);
  EXPECT_EQ(hpa.sync(0, 4, pods(4, 50, 0)).desired_replicas, 4);
  EXPECT_EQ(hpa.sync(15, 4, pods(4, 10, 15)).desired_replicas, 4);
  EXPECT_EQ(hpa.sync(30, 4, pods(4, 10, 30)).desired_replicas, 1);
}

TEST(HpaController, ScaleUpStabilizationWindowTakesTheLowest) {
  HpaSpec s = spec(1, 10, 50);
  s.scale_up.stabilization_window_seconds = 60;
  HpaController hpa(s);
  // The initial recommendation (2) is in the window, so the burst does not scale up yet.
  const HpaDecision d = hpa.sync(0, 2, pods(2, 100, 0));
  EXPECT_EQ(d.recommended_replicas, 4);
  EXPECT_EQ(d.desired_replicas, 2);
  EXPECT_TRUE(contains(d.reason, "held at 2 by the scaleUp stabilization window (60 s)"))
      << d.reason;
  EXPECT_EQ(hpa.sync(30, 2, pods(2, 100, 30)).desired_replicas, 2);
  EXPECT_EQ(hpa.sync(60, 2, pods(2, 100, 60)).desired_replicas, 4);  // t = 0 has left the window
}

TEST(HpaController, DefaultPoliciesLimitAScaleUp) {
  HpaController hpa(spec(1, 30, 50));
  // 2 pods at 500% of a 50% target: the formula wants 20; Max(2 + 4 pods, 2 × 200%) = 6.
  HpaDecision d = hpa.sync(0, 2, pods(2, 500, 0));
  EXPECT_EQ(d.recommended_replicas, 20);
  EXPECT_EQ(d.desired_replicas, 6);
  EXPECT_EQ(d.limit_reason, "ScaleUpLimit");
  EXPECT_EQ(d.reason,
            "cpu 500% of 50% target: recommends 20, limited to 6 by the scaleUp "
            "policies: 2 -> 6");
  // Within the same 15 s period the 4 pods just added count: no more room.
  d = hpa.sync(5, 6, pods(6, 500, 5));
  EXPECT_EQ(d.desired_replicas, 6);
  // Next period: Max(6 + 4, 6 × 2) = 12.
  d = hpa.sync(20, 6, pods(6, 500, 20));
  EXPECT_EQ(d.desired_replicas, 12);
  d = hpa.sync(35, 12, pods(12, 500, 35));
  EXPECT_EQ(d.desired_replicas, 24);
  d = hpa.sync(50, 24, pods(24, 500, 50));
  EXPECT_EQ(d.desired_replicas, 30);
  EXPECT_EQ(d.limit_reason, "TooManyReplicas");
  EXPECT_TRUE(contains(d.reason, "capped at maxReplicas 30")) << d.reason;
}

TEST(HpaController, SelectPolicyMinPercentPodsAndDisabled) {
  const auto first_step = [](SelectPolicy select, std::vector<ScalingPolicy> policies) {
    HpaSpec s = spec(1, 30, 50);
    s.scale_up.select = select;
    s.scale_up.policies = std::move(policies);
    HpaController hpa(s);
    return hpa.sync(0, 2, pods(2, 500, 0));
  };
  const ScalingPolicy pods4{ScalingPolicy::Type::kPods, 4, 15};
  const ScalingPolicy pct100{ScalingPolicy::Type::kPercent, 100, 15};
  EXPECT_EQ(first_step(SelectPolicy::kMax, {pods4, pct100}).desired_replicas, 6);
  EXPECT_EQ(first_step(SelectPolicy::kMin, {pods4, pct100}).desired_replicas, 4);
  EXPECT_EQ(
      first_step(SelectPolicy::kMax, {{ScalingPolicy::Type::kPercent, 300, 60}}).desired_replicas,
      8);
  EXPECT_EQ(first_step(SelectPolicy::kMax, {{ScalingPolicy::Type::kPods, 1, 60}}).desired_replicas,
            3);
  const HpaDecision disabled = first_step(SelectPolicy::kDisabled, {pods4});
  EXPECT_EQ(disabled.desired_replicas, 2);
  EXPECT_EQ(disabled.limit_reason, "ScaleUpLimit");
  EXPECT_EQ(disabled.reason,
            "cpu 500% of 50% target: recommends 20, limited to 2 by the scaleUp policies: "
            "keeping 2");
}

TEST(HpaController, ScaleDownPolicyLimitsTheRate) {
  HpaSpec s = spec(1, 20, 50);
  s.scale_down.stabilization_window_seconds = 0;
  s.scale_down.policies = {{ScalingPolicy::Type::kPods, 2, 60}};
  HpaController hpa(s);
  int current = 10;
  HpaDecision d = hpa.sync(0, current, pods(current, 5, 0));
  EXPECT_EQ(d.recommended_replicas, 1);
  EXPECT_EQ(d.desired_replicas, 8);
  EXPECT_EQ(d.limit_reason, "ScaleDownLimit");
  EXPECT_TRUE(contains(d.reason, "limited to 8 by the scaleDown policies: 10 -> 8")) << d.reason;
  current = 8;
  EXPECT_EQ(hpa.sync(30, current, pods(current, 5, 30)).desired_replicas, 8);  // same minute
  EXPECT_EQ(hpa.sync(61, current, pods(current, 5, 61)).desired_replicas, 6);
}

TEST(HpaController, MissingMetrics) {
  // Scale-down: 2 measured pods at 10%, 2 without metrics counted at 100%: 55% -> within.
  {
    HpaController hpa(spec(1, 10, 50));
    std::vector<PodCpu> p = pods(4, 10, 0);
    p[2].cpu_millicores = p[3].cpu_millicores = -1;
    const HpaDecision d = hpa.sync(0, 4, p);
    EXPECT_EQ(d.desired_replicas, 4);
    EXPECT_EQ(d.utilization, 10);
    EXPECT_EQ(d.missing_pods, 2);
    EXPECT_EQ(d.reason,
              "cpu 10% of 50% target (2 ready pods measured, 2 without metrics): within "
              "tolerance once pods without usable metrics are counted: keeping 4");
  }
  // Scale-up: 2 measured pods at 150%, 2 without metrics counted at 0%: 75% -> ceil(4 × 1.5).
  {
    HpaController hpa(spec(1, 10, 50));
    std::vector<PodCpu> p = pods(4, 150, 0);
    p[2].cpu_millicores = p[3].cpu_millicores = -1;
    EXPECT_EQ(hpa.sync(0, 4, p).desired_replicas, 6);
  }
}

TEST(HpaController, UnreadyPodsCountAsIdleOnAScaleUp) {
  HpaController hpa(spec(1, 10, 50));
  std::vector<PodCpu> p = pods(3, 100, 1000);
  // A new pod, still initialising and not ready, burning CPU while it starts.
  p[2].started_at = 990;
  p[2].ready_changed_at = 990;
  p[2].ready = false;
  p[2].cpu_millicores = 900;
  const HpaDecision d = hpa.sync(1000, 3, p);
  EXPECT_EQ(d.utilization, 100);
  EXPECT_EQ(d.unready_pods, 1);
  EXPECT_EQ(d.desired_replicas, 4);  // (100 + 100 + 0) / 300 = 66% -> ceil(3 × 1.32)
}

TEST(HpaController, ZeroRequestsMakeItUnableToScale) {
  HpaController hpa(spec(1, 10, 50));
  std::vector<PodCpu> p = pods(2, 80, 0);
  p[1].request_millicores = 0;
  const HpaDecision d = hpa.sync(0, 2, p);
  EXPECT_FALSE(d.able_to_scale);
  EXPECT_EQ(d.desired_replicas, 2);
  EXPECT_EQ(d.reason,
            "unable to compute the replica count: pod web-1 has no CPU request "
            "(resources.requests.cpu), so its utilization cannot be computed");
}

TEST(HpaController, NoMetricsYetMakesItUnableToScale) {
  HpaController hpa(spec(1, 10, 50));
  std::vector<PodCpu> p = pods(2, -1, 0);
  const HpaDecision d = hpa.sync(0, 2, p);
  EXPECT_FALSE(d.able_to_scale);
  EXPECT_EQ(d.desired_replicas, 2);
  EXPECT_EQ(d.utilization, -1);
  EXPECT_EQ(d.reason,
            "unable to compute the replica count: no CPU metrics for any ready pod yet (2 pods: "
            "2 without metrics, 0 unready or initialising, 0 terminating)");
}

TEST(HpaController, MinAndMax) {
  HpaSpec s = spec(2, 5, 50);
  s.scale_down.stabilization_window_seconds = 0;
  HpaController idle(s);
  HpaDecision d = idle.sync(0, 3, pods(3, 0, 0));
  EXPECT_EQ(d.recommended_replicas, 0);
  EXPECT_EQ(d.desired_replicas, 2);
  EXPECT_EQ(d.limit_reason, "TooFewReplicas");
  EXPECT_EQ(d.reason, "cpu 0% of 50% target: recommends 0, raised to minReplicas 2: 3 -> 2");

  HpaController busy(spec(2, 5, 50));
  d = busy.sync(0, 4, pods(4, 100, 0));
  EXPECT_EQ(d.recommended_replicas, 8);
  EXPECT_EQ(d.desired_replicas, 5);
  EXPECT_EQ(d.limit_reason, "TooManyReplicas");
}

// Kubernetes' TestScaleUpRCImmediately and TestScaleDownRCImmediately: outside [min, max] the
// count is corrected before any metric is looked at.
TEST(HpaController, KubernetesOutOfRangeCorrectedImmediately) {
  HpaController up(spec(2, 6, 50));
  HpaDecision d = up.sync(0, 1, pods(1, 0, 0));
  EXPECT_EQ(d.desired_replicas, 2);
  EXPECT_EQ(d.reason, "replicas below minReplicas 2: 1 -> 2");
  HpaController down(spec(2, 5, 50));
  d = down.sync(0, 6, pods(3, 9000, 0));
  EXPECT_EQ(d.desired_replicas, 5);
  EXPECT_EQ(d.reason, "replicas above maxReplicas 5: 6 -> 5");
}

// Kubernetes' TestAvoidUnnecessaryUpdates: one cool pod at 40% of an 80% target and two hot
// (initialising) pods; the recommendation of 1 is raised to minReplicas 2, the current count.
TEST(HpaController, KubernetesAvoidUnnecessaryUpdates) {
  HpaSpec s = spec(2, 6, 80);
  s.cpu_initialization_period_seconds = 120;
  s.initial_readiness_delay_seconds = 10;
  HpaController hpa(s);
  std::vector<PodCpu> p = pods(3, 400, 1000);
  for (auto& pod : p) {
    pod.request_millicores = 1000;
    pod.ready_changed_at = 0;
    pod.metric_window_start = -60;
  }
  p[0].started_at = 1000 - 180;
  p[1].started_at = p[2].started_at = 1000;
  p[1].cpu_millicores = 500;
  p[2].cpu_millicores = 700;
  const HpaDecision d = hpa.sync(1000, 2, p);
  EXPECT_EQ(d.utilization, 40);
  EXPECT_EQ(d.desired_replicas, 2);
}

TEST(HpaController, WithoutBehaviorUsesTheOlderFixedRules) {
  HpaSpec s = spec(1, 20, 50);
  s.has_behavior = false;
  s.downscale_stabilization_seconds = 60;
  HpaController hpa(s);
  HpaDecision d = hpa.sync(0, 1, pods(1, 1000, 0));  // wants 20
  EXPECT_EQ(d.desired_replicas, 4);                  // max(2 × 1, 4)
  EXPECT_EQ(d.reason,
            "cpu 1000% of 50% target: recommends 20, limited to 4 by the scale-up "
            "limit max(2 × current, 4): 1 -> 4");
  d = hpa.sync(1, 4, pods(4, 1000, 1));  // no period: the next sync may double again
  EXPECT_EQ(d.desired_replicas, 8);
  EXPECT_TRUE(hpa.scale_events().up().empty());  // events are only kept for behavior

  HpaController calm(s);
  EXPECT_EQ(calm.sync(0, 4, pods(4, 50, 0)).desired_replicas, 4);
  d = calm.sync(30, 4, pods(4, 10, 30));
  EXPECT_EQ(d.desired_replicas, 4);
  EXPECT_EQ(d.reason,
            "cpu 10% of 50% target: recommends 1, held at 4 by the downscale stabilization window "
            "(60 s): keeping 4");
  EXPECT_EQ(calm.sync(61, 4, pods(4, 10, 61)).desired_replicas, 1);
}

TEST(HpaController, InvalidSpecIsReportedNotApplied) {
  HpaSpec s = spec(1, 4, 50);
  s.scale_up.policies[0].period_seconds = 0;
  HpaController hpa(s);
  const HpaDecision d = hpa.sync(0, 2, pods(2, 500, 0));
  EXPECT_FALSE(d.able_to_scale);
  EXPECT_EQ(d.desired_replicas, 2);
  EXPECT_EQ(d.reason,
            "invalid autoscaling spec: behavior.scaleUp.policies[0].periodSeconds: must be "
            "between 1 and 1800 (got 0)");
}

TEST(HpaController, ScaledToZeroDisablesScaling) {
  HpaController hpa(spec(1, 4, 50));
  const HpaDecision d = hpa.sync(0, 0, {});
  EXPECT_FALSE(d.able_to_scale);
  EXPECT_EQ(d.desired_replicas, 0);
  EXPECT_EQ(d.reason, "scaling is disabled while the deployment is scaled to 0");
}

TEST(HpaController, FreshControllerDoesNotScaleDownAtOnce) {
  HpaController hpa(spec(1, 10, 50));
  EXPECT_EQ(hpa.sync(100, 5, pods(5, 1, 100)).desired_replicas, 5);
  EXPECT_EQ(hpa.sync(399, 5, pods(5, 1, 399)).desired_replicas, 5);
  EXPECT_EQ(hpa.sync(400, 5, pods(5, 1, 400)).desired_replicas, 1);
}

// The acceptance scenario in miniature: a service whose total CPU load is spread over its
// replicas scales out to the count the formula predicts (ceil(load / (target × request))) and
// back down once the load falls and the scale-down window has passed. Sync period 15 s.
TEST(HpaController, TimelineScalesOutToTheFormulaAndBackAfterTheWindow) {
  HpaController hpa(spec(1, 10, 50));
  int current = 1;
  double load = 430;  // millicores across the service: ceil(430 / 50) = 9 replicas at 50%
  double last_high = -1;
  double scaled_down_at = -1;
  for (double t = 0; t <= 900; t += 15) {
    if (t == 300) load = 90;  // ceil(90 / 50) = 2
    const HpaDecision d = hpa.sync(t, current, pods(current, load / current, t));
    ASSERT_TRUE(d.able_to_scale) << d.reason;
    if (d.recommended_replicas >= 9) last_high = t;
    if (current >= 9 && d.desired_replicas < current && scaled_down_at < 0) scaled_down_at = t;
    current = d.desired_replicas;
    if (t == 285) {
      EXPECT_EQ(current, 9) << "reached before the load fell";
    }
  }
  EXPECT_EQ(current, 2);
  // The first scale-down comes at the first sync after the last high recommendation has left
  // the 300 s window.
  ASSERT_GE(last_high, 285);
  EXPECT_EQ(scaled_down_at, last_high + 300);
  // What the formula alone says for the final state.
  Result<CpuReplicaCount> f = calculate_cpu_replicas(hpa.spec(), 900, 2, pods(2, 45, 900));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.value().replicas, 2);
}

}  // namespace
}  // namespace stampede::local
