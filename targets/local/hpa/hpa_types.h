// The HPA's vocabulary: the autoscaling/v2 spec on CPU utilisation (with its behavior), what
// the controller is told about each pod at a sync, and the decision it hands back. Plain values;
// hpa_controller.h includes this header, so users of the controller need only that one.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace stampede::local {

// One HPAScalingPolicy: at most `value` pods (kPods) or `value` percent of the replicas at the
// start of the period (kPercent) may be added or removed within any `period_seconds`.
struct ScalingPolicy {
  enum class Type { kPods, kPercent };
  Type type = Type::kPercent;
  int value = 100;
  int period_seconds = 15;
};

// HPAScalingRules.selectPolicy: the policy allowing the largest change (Max), the smallest
// (Min), or no change at all in that direction (Disabled).
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
  // False when the HPA has no `behavior` at all (spec.behavior is nil in Kubernetes): the
  // controller then ignores scale_up/scale_down and applies its older fixed rules — a scale-up
  // limit of max(2 × current, 4) per sync and a scale-down stabilization of
  // downscale_stabilization_seconds.
  bool has_behavior = true;
  // kube-controller-manager flags.
  double tolerance = 0.1;
  double cpu_initialization_period_seconds = 300;
  double initial_readiness_delay_seconds = 30;
  int downscale_stabilization_seconds = 300;  // --horizontal-pod-autoscaler-downscale-stabilization
};

// Kubernetes' default behavior.scaleUp: window 0, Max of {Pods 4 / 15 s, Percent 100 / 15 s}.
// For a partly written `behavior.scaleUp` (or scaleDown), start from these and override the
// fields given: Kubernetes fills the missing ones with exactly these defaults.
ScalingRules default_scale_up_rules();
// Kubernetes' default behavior.scaleDown: Max of {Percent 100 / 15 s}; the window defaults to
// the controller's --horizontal-pod-autoscaler-downscale-stabilization (300 s).
ScalingRules default_scale_down_rules(int stabilization_window_seconds = 300);

// A spec with Kubernetes' default behavior. Errors: min < 1, max < min, target <= 0.
Result<HpaSpec> default_hpa_spec(int min_replicas, int max_replicas, int target_cpu_utilization);

// Checks a spec the way the Kubernetes API server validates an HPA (and the controller its
// flags). The error names the field as written in values.yaml, e.g.
// "behavior.scaleUp.policies[1].periodSeconds: must be between 1 and 1800 (got 0)".
Status validate_hpa_spec(const HpaSpec& spec);

// What the controller knows about one pod of the deployment at a sync. Times are seconds on the
// runtime's monotonic clock.
struct PodCpu {
  std::string name;
  bool ready = false;
  bool deleting = false;           // terminating (or failed) pods are ignored, as in Kubernetes
  double cpu_millicores = -1;      // average usage over the metrics window; < 0: no metric yet
  double request_millicores = 0;   // requests.cpu; 0 makes the HPA unable to compute (an error)
  double started_at = 0;           // seconds on the runtime clock when the pod started
  double ready_changed_at = 0;     // seconds on the runtime clock of the last readiness change
                                   // (its start when readiness never changed)
  double metric_window_start = 0;  // when the usage window behind cpu_millicores began
  bool pending = false;            // no process yet (Kubernetes' Pending phase): counted as unready
};

// The outcome of one sync.
struct HpaDecision {
  int current_replicas = 0;
  // What the deployment is scaled to (after every limit).
  int desired_replicas = 0;
  // The formula's answer before stabilization and policies.
  int recommended_replicas = 0;
  // Average utilisation (whole percent of requests) over the measured pods; -1 when none.
  double utilization = -1;
  // False when metrics are missing for every pod, or requests are 0, or the spec is invalid.
  bool able_to_scale = true;
  // One line for `stampede ps` and reports: "cpu 160% of 80% target: 2 -> 4",
  // "cpu 85% of 80% target: within tolerance: keeping 3", "... limited to 6 by the scaleUp
  // policies: 2 -> 6", "unable to compute the replica count: ...".
  std::string reason;

  // Evidence behind the numbers above.
  bool stabilized = false;  // a stabilization window held the recommendation back
  // Kubernetes' ScalingLimited reason: "DesiredWithinRange", "ScaleUpLimit", "ScaleDownLimit",
  // "TooManyReplicas", "TooFewReplicas"; empty when no recommendation was made.
  std::string limit_reason;
  int ready_pods = 0;    // pods whose usage counted as measured
  int unready_pods = 0;  // pending, unready or initialising: 0% on a scale-up, else left out
  int missing_pods = 0;  // no metric: 0% on a scale-up, max(100%, target) on a scale-down
  int ignored_pods = 0;  // terminating
};

}  // namespace stampede::local
