#include "engine/chaos/pod_selection.h"

#include <algorithm>
#include <cmath>

namespace stampede {

Result<std::vector<PodState>> target_pods(Platform& platform, const ChaosAction& action) {
  auto pods = platform.pods(action.selector ? action.target : std::string());
  if (!pods.ok()) return pods.error();
  std::vector<PodState> out;
  for (PodState& p : pods.value()) {
    if (!action.selector && p.deployment != action.target) continue;
    // Only pods with a process: one in CrashLoopBackOff has none to kill, pause or fault.
    if (p.phase == "Terminating" || p.phase == "Failed" || p.state == "terminating" ||
        p.state == "exited" || p.state == "crash-loop-backoff") {
      continue;
    }
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(),
            [](const PodState& a, const PodState& b) { return a.name < b.name; });
  return out;
}

size_t pods_by_mode(const ChaosAction& action, size_t candidates) {
  if (candidates == 0) return 0;
  switch (action.mode) {
    case PodMode::kOne:
      return 1;
    case PodMode::kAll:
      return candidates;
    case PodMode::kFixed:
      return std::min(candidates, static_cast<size_t>(action.count));
    case PodMode::kPercent: {
      double n = std::ceil(static_cast<double>(candidates) * action.percent / 100.0 - 1e-9);
      return std::clamp(static_cast<size_t>(n), size_t{1}, candidates);
    }
  }
  return 1;
}

std::vector<std::string> choose_pods(const ChaosAction& action,
                                     const std::vector<PodState>& candidates,
                                     std::mt19937_64& rng) {
  size_t k = pods_by_mode(action, candidates.size());
  if (action.max_pods > 0) k = std::min(k, static_cast<size_t>(action.max_pods));
  std::vector<std::string> names;
  for (const PodState& p : candidates) names.push_back(p.name);
  // A partial Fisher-Yates shuffle: the first k are a uniform sample.
  for (size_t i = 0; i < k && i < names.size(); ++i) {
    std::uniform_int_distribution<size_t> pick(i, names.size() - 1);
    std::swap(names[i], names[pick(rng)]);
  }
  names.resize(std::min(k, names.size()));
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace stampede
