// Replays the resource (CPU) cases of Kubernetes' replica_calculator_test.go with their
// expected outcomes, then the groupPods table, in this package's terms. As there, every pod has
// two containers with the same request and usage, the tolerance is 0.1, the CPU initialization
// period 2 minutes and the initial readiness delay 10 seconds; a pod starts at the zero time
// unless it is "hot" (started now) or "cool" (started 3 minutes ago), its readiness last changed
// at the zero time, and its metric window is the minute before the zero time.
#include "targets/local/hpa/replica_calculator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace stampede::local {
namespace {

constexpr double kNow = 100000;  // seconds after the "zero time" of Kubernetes' tests
constexpr int kContainers = 2;

enum Start { kZero, kHot, kCool };
enum Phase { kRunning, kPending, kFailed };

struct Case {
  Case(int current, std::vector<double> requests, std::vector<int64_t> levels, int target)
      : current(current),
        requests(std::move(requests)),
        levels(std::move(levels)),
        target(target) {}
  Case& with_ready(std::vector<bool> v) {
    ready = std::move(v);
    return *this;
  }
  Case& with_start(std::vector<Start> v) {
    start = std::move(v);
    return *this;
  }
  Case& with_phase(std::vector<Phase> v) {
    phase = std::move(v);
    return *this;
  }
  Case& with_deleting(std::vector<bool> v) {
    deleting = std::move(v);
    return *this;
  }

  int current;
  std::vector<double> requests;  // per container, millicores, for the first pods
  std::vector<int64_t> levels;   // per container usage, millicores, for the first pods
  int target;
  std::vector<bool> ready;     // default: ready
  std::vector<Start> start;    // default: kZero
  std::vector<Phase> phase;    // default: running; more entries than current add pods
  std::vector<bool> deleting;  // default: not
};

HpaSpec test_spec(int target) {
  HpaSpec spec;
  spec.min_replicas = 1;
  spec.max_replicas = 1000;
  spec.target_cpu_utilization = target;
  spec.tolerance = 0.1;
  spec.cpu_initialization_period_seconds = 120;
  spec.initial_readiness_delay_seconds = 10;
  return spec;
}

std::vector<PodCpu> pods_of(const Case& c) {
  size_t count = static_cast<size_t>(c.current);
  if (c.phase.size() > count) count = c.phase.size();
  std::vector<PodCpu> pods;
  for (size_t i = 0; i < count; ++i) {
    PodCpu p;
    p.name = "test-pod-" + std::to_string(i);
    p.ready = i < c.ready.size() ? c.ready[i] : true;
    const Start start = i < c.start.size() ? c.start[i] : kZero;
    p.started_at = start == kHot ? kNow : start == kCool ? kNow - 180 : 0;
    p.ready_changed_at = 0;
    const Phase phase = i < c.phase.size() ? c.phase[i] : kRunning;
    p.pending = phase == kPending;
    p.deleting = phase == kFailed || (i < c.deleting.size() && c.deleting[i]);
    p.request_millicores = i < c.requests.size() ? c.requests[i] * kContainers : 0;
    if (i < c.levels.size()) {
      p.cpu_millicores = static_cast<double>(c.levels[i] * kContainers);
      p.metric_window_start = -60;
    }
    pods.push_back(p);
  }
  return pods;
}

Result<CpuReplicaCount> run(const Case& c) {
  return calculate_cpu_replicas(test_spec(c.target), kNow, c.current, pods_of(c));
}

void expect(const Case& c, int replicas, int utilization, int64_t raw_value) {
  Result<CpuReplicaCount> r = run(c);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value().replicas, replicas);
  EXPECT_EQ(r.value().utilization, utilization);
  EXPECT_EQ(r.value().average_millicores, raw_value);
}

const std::vector<double> k3 = {1000, 1000, 1000};
const std::vector<double> k4 = {1000, 1000, 1000, 1000};
const std::vector<double> k5 = {1000, 1000, 1000, 1000, 1000};
const std::vector<double> k7 = {1000, 1000, 1000, 1000, 1000, 1000, 1000};

TEST(KubernetesReplicaCalc, ScaleUp) {
  expect(Case(3, k3, {300, 500, 700}, 30), 5, 50, kContainers * 500);
}

TEST(KubernetesReplicaCalc, ScaleUpUnreadyLessScale) {
  expect(Case(3, k3, {300, 500, 700}, 30).with_ready({false, true, true}), 4, 60,
         kContainers * 600);
}

TEST(KubernetesReplicaCalc, ScaleUpHotCpuLessScale) {
  expect(Case(3, k3, {300, 500, 700}, 30).with_start({kHot, kCool, kCool}), 4, 60,
         kContainers * 600);
}

TEST(KubernetesReplicaCalc, ScaleUpUnreadyNoScale) {
  expect(Case(3, k3, {400, 500, 700}, 30).with_ready({true, false, false}), 3, 40,
         kContainers * 400);
}

TEST(KubernetesReplicaCalc, ScaleHotCpuNoScale) {
  expect(Case(3, k3, {400, 500, 700}, 30)
             .with_ready({true, false, false})
             .with_start({kCool, kHot, kHot}),
         3, 40, kContainers * 400);
}

TEST(KubernetesReplicaCalc, ScaleUpIgnoresFailedPods) {
  expect(Case(2, k4, {500, 700}, 30)
             .with_ready({true, true, false, false})
             .with_phase({kRunning, kRunning, kFailed, kFailed}),
         4, 60, kContainers * 600);
}

TEST(KubernetesReplicaCalc, ScaleUpIgnoresDeletionPods) {
  expect(Case(2, k4, {500, 700}, 30)
             .with_ready({true, true, false, false})
             .with_phase({kRunning, kRunning, kRunning, kRunning})
             .with_deleting({false, false, true, true}),
         4, 60, kContainers * 600);
}

TEST(KubernetesReplicaCalc, ScaleDown) {
  expect(Case(5, k5, {100, 300, 500, 250, 250}, 50), 3, 28, kContainers * 280);
}

TEST(KubernetesReplicaCalc, ScaleDownIncludeUnreadyPods) {
  expect(Case(5, k5, {100, 300, 500, 250, 250}, 50).with_ready({true, true, true, false, false}), 2,
         30, kContainers * 300);
}

TEST(KubernetesReplicaCalc, ScaleDownExcludeUnscheduledPods) {
  expect(Case(5, k5, {100}, 50)
             .with_ready({true, false, false, false, false})
             .with_phase({kRunning, kPending, kPending, kPending, kPending}),
         1, 10, kContainers * 100);
}

TEST(KubernetesReplicaCalc, ScaleDownIgnoreHotCpuPods) {
  expect(Case(5, k5, {100, 300, 500, 250, 250}, 50).with_start({kCool, kCool, kCool, kHot, kHot}),
         2, 30, kContainers * 300);
}

TEST(KubernetesReplicaCalc, ScaleDownIgnoresFailedPods) {
  expect(Case(5, k7, {100, 300, 500, 250, 250}, 50)
             .with_ready({true, true, true, true, true, false, false})
             .with_phase({kRunning, kRunning, kRunning, kRunning, kRunning, kFailed, kFailed}),
         3, 28, kContainers * 280);
}

TEST(KubernetesReplicaCalc, ScaleDownIgnoresDeletionPods) {
  expect(Case(5, k7, {100, 300, 500, 250, 250}, 50)
             .with_ready({true, true, true, true, true, false, false})
             .with_phase({kRunning, kRunning, kRunning, kRunning, kRunning, kRunning, kRunning})
             .with_deleting({false, false, false, false, false, true, true}),
         3, 28, kContainers * 280);
}

TEST(KubernetesReplicaCalc, Tolerance) {
  expect(Case(3, {900, 1000, 1100}, {1010, 1030, 1020}, 100), 3, 102, kContainers * 1020);
}

TEST(KubernetesReplicaCalc, MissingMetrics) {
  // Two pods without metrics count as 100% of their request on this scale-down.
  expect(Case(4, k4, {400, 95}, 100), 3, 24, 495);
}

TEST(KubernetesReplicaCalc, EmptyMetrics) {
  Result<CpuReplicaCount> r = run(Case(4, k3, {}, 100));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("no CPU metrics for any ready pod"), std::string::npos)
      << r.error().message();
}

TEST(KubernetesReplicaCalc, EmptyCPURequest) {
  Result<CpuReplicaCount> r = run(Case(1, {}, {200}, 100));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "pod test-pod-0 has no CPU request (resources.requests.cpu), so its utilization "
            "cannot be computed");
}

TEST(KubernetesReplicaCalc, MissingMetricsNoChangeEq) {
  expect(Case(2, {1000, 1000}, {1000}, 100), 2, 100, kContainers * 1000);
}

TEST(KubernetesReplicaCalc, MissingMetricsNoChangeGt) {
  expect(Case(2, {1000, 1000}, {1900}, 100), 2, 190, kContainers * 1900);
}

TEST(KubernetesReplicaCalc, MissingMetricsNoChangeLt) {
  expect(Case(2, {1000, 1000}, {600}, 100), 2, 60, kContainers * 600);
}

TEST(KubernetesReplicaCalc, MissingMetricsUnreadyChange) {
  expect(Case(3, k3, {100, 450}, 50).with_ready({false, true, true}), 3, 45, kContainers * 450);
}

TEST(KubernetesReplicaCalc, MissingMetricsHotCpuNoChange) {
  expect(Case(3, k3, {100, 450}, 50).with_start({kHot, kCool, kCool}), 3, 45, kContainers * 450);
}

TEST(KubernetesReplicaCalc, MissingMetricsUnreadyScaleUp) {
  expect(Case(3, k3, {100, 2000}, 50).with_ready({false, true, true}), 4, 200, kContainers * 2000);
}

TEST(KubernetesReplicaCalc, MissingMetricsHotCpuScaleUp) {
  expect(
      Case(3, k3, {100, 2000}, 50).with_ready({false, true, true}).with_start({kHot, kCool, kCool}),
      4, 200, kContainers * 2000);
}

TEST(KubernetesReplicaCalc, MissingMetricsUnreadyScaleDown) {
  expect(Case(4, k4, {100, 100, 100}, 50).with_ready({false, true, true, true}), 3, 10,
         kContainers * 100);
}

TEST(KubernetesReplicaCalc, DuringRollingUpdateWithMaxSurge) {
  // A surge pod without metrics must not turn a scale-down into a scale-up.
  expect(Case(2, k3, {100, 100}, 50).with_phase({kRunning, kRunning, kRunning}), 2, 10,
         kContainers * 100);
}

// Kubernetes' TestReplicaCalcComputedToleranceAlgImplementation: a target just outside the
// tolerance scales down, one just inside does not.
TEST(KubernetesReplicaCalc, ComputedToleranceAlgImplementation) {
  const int start_pods = 10;
  const int64_t used = start_pods * 150;
  const int64_t requested = 2 * used;
  const double requested_to_used = static_cast<double>(requested / used);
  const int64_t per_pod = requested / start_pods;
  double target = std::abs(1 / (requested_to_used * (1 - 0.1))) + .01;
  const double used_ratio = static_cast<double>(used) / (static_cast<double>(requested) * target);
  const int final_pods = static_cast<int>(std::ceil(used_ratio * start_pods));

  Case c(start_pods, {}, std::vector<int64_t>(10, used / 10), static_cast<int>(target * 100));
  for (int64_t delta : {100, -100, 10, -10, 2, -2, 1, -1, 0, 0}) {
    c.requests.push_back(static_cast<double>(per_pod + delta));
  }
  expect(c, final_pods, static_cast<int>(used * 100 / requested), kContainers * used / 10);
  EXPECT_EQ(final_pods, 9);

  target = std::abs(1 / (requested_to_used * (1 - 0.1))) + .004;
  c.target = static_cast<int>(target * 100);
  expect(c, start_pods, static_cast<int>(used * 100 / requested), kContainers * used / 10);
}

// Kubernetes' TestGroupPods, one pod at a time (cpu initialization 2 min, readiness delay 10 s).
struct GroupCase {
  const char* name;
  double started_ago;        // seconds before now; < 0: pending
  double ready_changed_ago;  // seconds before now
  bool ready;
  bool has_metric;
  double window_start_ago;  // seconds before now
  PodCpuGroup expected;
};

TEST(KubernetesGroupPods, Table) {
  const GroupCase cases[] = {
      {"count in a ready pod with fresh metrics during initialization period", 60, 30, true, true,
       30, PodCpuGroup::kMeasured},
      {"ignore a ready pod without fresh metrics during initialization period", 60, 30, true, true,
       60, PodCpuGroup::kUnready},
      {"ignore an unready pod during initialization period", 600, 594, false, true, 60,
       PodCpuGroup::kUnready},
      {"count in a ready pod without fresh metrics after initialization period", 180, 180, true,
       true, 180, PodCpuGroup::kMeasured},
      {"count in an unready pod that was ready after initialization period", 600, 540, false, true,
       60, PodCpuGroup::kMeasured},
      {"ignore pod that has never been ready after initialization period", 600, 590, false, true,
       60, PodCpuGroup::kMeasured},
      {"a missing pod", 180, 180, true, false, 0, PodCpuGroup::kMissing},
      {"pending pods are ignored", -1, 0, false, false, 0, PodCpuGroup::kUnready},
  };
  const HpaSpec spec = test_spec(50);
  for (const GroupCase& c : cases) {
    PodCpu p;
    p.name = c.name;
    p.pending = c.started_ago < 0;
    p.started_at = kNow - c.started_ago;
    p.ready_changed_at = kNow - c.ready_changed_ago;
    p.ready = c.ready;
    p.request_millicores = 100;
    if (c.has_metric) {
      p.cpu_millicores = 1;
      p.metric_window_start = kNow - c.window_start_ago;
    }
    EXPECT_EQ(classify_pod_cpu(spec, kNow, p), c.expected) << c.name;
  }
  PodCpu deleting;
  deleting.deleting = true;
  deleting.cpu_millicores = 5;
  EXPECT_EQ(classify_pod_cpu(spec, kNow, deleting), PodCpuGroup::kIgnored);
}

// Beyond Kubernetes' cases.

TEST(ReplicaCalc, MissingPodsCountAsTargetWhenTargetAboveHundredPercent) {
  // Target 300%: on a scale-down a pod without metrics counts as using 300% of its request.
  // Measured: 2 pods at 50%; with the missing pod at 300%: (50 + 50 + 300) / 3 = 133% -> ratio
  // 0.44 -> ceil(0.44 × 3) = 2. Counted at 100% it would be 66% -> 0.22 -> 1.
  Case c(3, k3, {500, 500}, 300);
  expect(c, 2, 50, kContainers * 500);
}

TEST(ReplicaCalc, UsageIsRoundedUpToWholeMillicores) {
  std::vector<PodCpu> pods(1);
  pods[0].name = "p";
  pods[0].ready = true;
  pods[0].request_millicores = 1000;
  pods[0].cpu_millicores = 899.2;  // 900m: exactly 90% -> ratio 0.9, within tolerance
  Result<CpuReplicaCount> r = calculate_cpu_replicas(test_spec(100), kNow, 1, pods);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().utilization, 90);
  EXPECT_EQ(r.value().replicas, 1);
  EXPECT_EQ(r.value().kept_because, "within tolerance");
}

TEST(ReplicaCalc, NoPodsIsAnError) {
  Result<CpuReplicaCount> r = calculate_cpu_replicas(test_spec(50), kNow, 1, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "no pods to measure");
}

}  // namespace
}  // namespace stampede::local
