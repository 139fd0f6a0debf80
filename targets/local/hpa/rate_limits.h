// How far one sync may move the replica count: min/max and the behavior policies over their
// periods (kube-controller-manager's convertDesiredReplicasWithBehaviorRate with
// calculateScaleUpLimitWithScalingRules and calculateScaleDownLimitWithBehaviors), or, for an
// HPA without behavior, min/max and a scale-up limit of max(2 × current, 4)
// (convertDesiredReplicasWithRules). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "targets/local/hpa/hpa_types.h"
#include "targets/local/hpa/scale_events.h"

namespace stampede::local {

struct LimitedReplicas {
  int replicas = 0;
  // Kubernetes' ScalingLimited reason: "DesiredWithinRange", "ScaleUpLimit", "ScaleDownLimit",
  // "TooManyReplicas" or "TooFewReplicas".
  std::string reason;
};

// Sum of the changes in `events` newer than `period_seconds` before `now`.
int replicas_changed_in_period(double now, int period_seconds,
                               const std::vector<TimedScaleEvent>& events);

// The most replicas the scaleUp policies allow now: for each policy the count at the start of
// its period (current − added + removed within it) plus value pods or value percent (rounded
// up); the Max or Min of those, or `current` when scaling up is Disabled.
int scale_up_limit(double now, int current, const std::vector<TimedScaleEvent>& up,
                   const std::vector<TimedScaleEvent>& down, const ScalingRules& rules);

// The fewest replicas the scaleDown policies allow now: the count at the start of each
// policy's period minus value pods or value percent (truncated); the lowest (Max) or highest
// (Min) of those, or `current` when scaling down is Disabled.
int scale_down_limit(double now, int current, const std::vector<TimedScaleEvent>& up,
                     const std::vector<TimedScaleEvent>& down, const ScalingRules& rules);

// `desired` (already stabilized) brought within min/max and the policies' limits.
LimitedReplicas limit_with_behavior(double now, int current, int desired, const HpaSpec& spec,
                                    const ScaleEventLog& events);

// For an HPA without behavior: `desired` brought within [min, min(max, max(2 × current, 4))].
LimitedReplicas limit_without_behavior(int current, int desired, int min_replicas,
                                       int max_replicas);

}  // namespace stampede::local
