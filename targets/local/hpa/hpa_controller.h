// HpaController: the Kubernetes HorizontalPodAutoscaler (autoscaling/v2) algorithm for one
// deployment, on CPU utilisation of requests, as kube-controller-manager runs it: desired =
// ceil(current × usage/target) with a tolerance, missing-metric and unready-pod handling,
// min/max, stabilization windows and scaling policies (behavior). Pure logic: it is given the
// pods' CPU usage and the time, so tests drive it without processes or clocks.
// Not thread-safe: one per deployment, called from the runtime's control thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace stampede::local {

// One HPAScalingPolicy.
struct ScalingPolicy {
  enum class Type { kPods, kPercent };
  Type type = Type::kPercent;
  int value = 100;
  int period_seconds = 15;
};

enum class SelectPolicy { kMax, kMin, kDisabled };

// One HPAScalingRules (behavior.scaleUp or behavior.scaleDown).
struct ScalingRules {
  int stabilization_window_seconds = 0;
  SelectPolicy select = SelectPolicy::kMax;
  std::vector<ScalingPolicy> policies;
};

struct HpaSpec {
  int min_replicas = 1;
  int max_replicas = 1;
  int target_cpu_utilization = 80;  // percent of requests.cpu
  // Kubernetes' defaults: scaleUp window 0, {Percent 100 / 15 s, Pods 4 / 15 s}, Max;
  // scaleDown window 300 s, {Percent 100 / 15 s}, Max.
  ScalingRules scale_up;
  ScalingRules scale_down;
  // kube-controller-manager flags.
  double tolerance = 0.1;
  double cpu_initialization_period_seconds = 300;
  double initial_readiness_delay_seconds = 30;
};

// A spec with Kubernetes' default behavior. Errors: min < 1, max < min, target <= 0.
Result<HpaSpec> default_hpa_spec(int min_replicas, int max_replicas, int target_cpu_utilization);

// What the controller knows about one pod of the deployment at a sync.
struct PodCpu {
  std::string name;
  bool ready = false;
  bool deleting = false;          // terminating pods are ignored, as in Kubernetes
  double cpu_millicores = -1;     // average usage over the metrics window; < 0: no metric yet
  double request_millicores = 0;  // requests.cpu; 0 makes the HPA unable to compute (an error)
  double started_at = 0;          // seconds on the runtime clock when the pod started
  double ready_changed_at = 0;    // seconds on the runtime clock of the last readiness change
  double metric_window_start = 0; // when the usage window behind cpu_millicores began
};

// The outcome of one sync.
struct HpaDecision {
  int current_replicas = 0;
  int desired_replicas = 0;       // what the deployment is scaled to (after every limit)
  int recommended_replicas = 0;   // the formula's answer before stabilization and policies
  double utilization = -1;        // average utilisation (percent of requests) over pods with metrics; -1 none
  bool able_to_scale = true;      // false when metrics are missing for every pod, or requests are 0
  std::string reason;             // one line: "cpu 160% of 80% target: 2 -> 4", "within tolerance", "limited by scaleUp policy", ...
};

class HpaController {
 public:
  explicit HpaController(HpaSpec spec);

  const HpaSpec& spec() const { return spec_; }

  // One reconcile at `now` (seconds, monotonic) for a deployment that currently wants
  // `current_replicas`. Remembers recommendations and scale events for the windows and policies.
  HpaDecision sync(double now, int current_replicas, const std::vector<PodCpu>& pods);

 private:
  HpaSpec spec_;
  struct Recommendation {
    double at;
    int replicas;
  };
  struct ScaleEvent {
    double at;
    int change;  // + up, - down
  };
  std::vector<Recommendation> recommendations_;
  std::vector<ScaleEvent> scale_events_;
};

}  // namespace stampede::local
