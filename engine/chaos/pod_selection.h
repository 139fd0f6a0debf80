// Which pods an action hits: the pods its target matches (a deployment's pods, or a label
// selector's), narrowed by its mode (one / all / fixed N / percent) and capped by max_pods.
// Pure functions apart from target_pods(), which asks the platform. Thread-compatible.
#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/chaos/chaos_plan.h"
#include "engine/platform/platform.h"

namespace stampede {

// The pods `action` may hit now: those its target matches that are not terminating or gone,
// sorted by name. An empty list is not an error here (callers decide).
Result<std::vector<PodState>> target_pods(Platform& platform, const ChaosAction& action);

// How many of `candidates` pods the mode picks, before the cap.
size_t pods_by_mode(const ChaosAction& action, size_t candidates);

// Picks min(pods_by_mode, max_pods) of the candidates at random (uniformly, without repeats);
// the result is sorted by name.
std::vector<std::string> choose_pods(const ChaosAction& action,
                                     const std::vector<PodState>& candidates, std::mt19937_64& rng);

}  // namespace stampede
