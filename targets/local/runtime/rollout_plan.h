// One step of a Deployment's RollingUpdate, as the Deployment controller plans it from counts:
// how many new pods to create and how many old ones to remove, keeping the total within
// replicas + maxSurge and the available pods at least replicas - maxUnavailable. Pure.
#pragma once

namespace stampede::local {

struct RolloutCounts {
  int desired = 0;          // spec.replicas
  int max_surge = 0;        // resolved (see resolve_fenceposts)
  int max_unavailable = 0;  // resolved
  int new_total = 0;        // pods of the current template, not terminating
  int new_available = 0;    // of those, available (Ready for minReadySeconds)
  int old_total = 0;        // pods of older templates, not terminating
  int old_available = 0;    // of those, available
};

struct RolloutStep {
  int create_new = 0;
  int remove_old_unavailable = 0;  // old pods that are not available go first
  int remove_old_available = 0;
};

RolloutStep plan_rollout_step(const RolloutCounts& c);

}  // namespace stampede::local
