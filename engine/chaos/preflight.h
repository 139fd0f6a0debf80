// Preflight: checks a ChaosPlan against the platform before any load and before any fault —
// the platform answers, every target exists and matches pods, no action would hit more pods
// than its cap, no two actions act on one deployment at overlapping times, and every
// validation's deployment exists (with an HPA for autoscaling). Its report is also what
// `stampede run --dry-run` prints. Runs on the main thread.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "engine/chaos/chaos_plan.h"
#include "engine/platform/platform.h"

namespace stampede {

// What one action would hit if it started now.
struct ActionPreview {
  std::string action_id;
  std::vector<std::string> candidates;   // matching pods (pod actions), sorted
  size_t would_hit = 0;                  // how many of them the mode and cap pick
  std::vector<std::string> deployments;  // deployments it acts on
  std::string effect;  // "scale 3 -> 0 (restored after 20s)", "fault error_rate=1"
};

struct PreflightReport {
  std::string platform;  // Platform::describe()
  std::vector<ActionPreview> actions;
  std::vector<DeploymentState> deployments;
};

// Errors are the first problem found, naming the option path ("options.chaos[2].target: ...").
Result<PreflightReport> preflight(Platform& platform, const ChaosPlan& plan);

}  // namespace stampede
