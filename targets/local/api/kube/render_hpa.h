// An HPA of the runtime as an autoscaling/v2 HorizontalPodAutoscaler: spec (scaleTargetRef,
// min/maxReplicas, one Resource cpu Utilization metric, behavior as the runtime resolved it —
// absent when the values have none, as in Kubernetes) and status (current/desired replicas,
// lastScaleTime, currentMetrics, and the conditions AbleToScale, ScalingActive and
// ScalingLimited with Kubernetes' reasons, from the controller's last decision). Remembers when
// each condition last changed. Not thread-safe: control thread only.
#pragma once

#include <nlohmann/json.hpp>

#include "targets/local/api/kube/render_context.h"
#include "targets/local/runtime/runtime.h"

namespace stampede::local::kube {

// Owns when each condition changed; control thread only.
class HpaRenderer {
 public:
  // Null when `d` has no HPA.
  nlohmann::json render(const RenderContext& ctx, const Runtime& rt, const Deployment& d,
                        int64_t now_ns);

 private:
  nlohmann::json conditions(const RenderContext& ctx, const std::string& name,
                            const HpaDecision& last, int64_t now_ns);
  TransitionClock clock_;
};

// behavior.scaleUp / scaleDown of a resolved spec.
nlohmann::json scaling_rules_object(const ScalingRules& rules);

}  // namespace stampede::local::kube
