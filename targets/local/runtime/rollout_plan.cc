#include "targets/local/runtime/rollout_plan.h"

#include <algorithm>

namespace stampede::local {

RolloutStep plan_rollout_step(const RolloutCounts& c) {
  RolloutStep step;
  // NewRSNewReplicas: grow the new pods up to desired, within desired + maxSurge in total.
  int total = c.new_total + c.old_total;
  int max_total = c.desired + c.max_surge;
  if (total < max_total) {
    step.create_new = std::max(0, std::min(max_total - total, c.desired - c.new_total));
  }
  // reconcileOldReplicaSets: never below minAvailable, counting new pods that are not yet
  // available as unavailable.
  int all_pods = total + step.create_new;
  int min_available = c.desired - c.max_unavailable;
  int new_unavailable = (c.new_total + step.create_new) - c.new_available;
  int max_scaled_down = all_pods - min_available - new_unavailable;
  if (max_scaled_down <= 0) return step;
  // cleanupUnhealthyReplicas: old pods that are not available cost nothing to remove.
  int old_unavailable = c.old_total - c.old_available;
  step.remove_old_unavailable = std::min(old_unavailable, max_scaled_down);
  // scaleDownOldReplicaSetsForRollingUpdate: only as far as availability allows.
  int available = c.new_available + c.old_available;
  if (available > min_available) {
    step.remove_old_available = std::min(c.old_available, available - min_available);
  }
  return step;
}

}  // namespace stampede::local
