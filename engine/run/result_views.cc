#include "engine/run/result_views.h"

#include <algorithm>
#include <map>
#include <utility>

namespace stampede {

std::vector<CheckResult> check_results(const RunResult& result) {
  std::map<std::pair<std::string, std::string>, CheckResult> by_key;
  for (const auto& s : result.metrics->series()) {
    if (s.metric != kChecks) continue;
    const std::string* name = s.tags->find("check");
    const std::string* group = s.tags->find("group");
    CheckResult& c = by_key[{group ? *group : "", name ? *name : ""}];
    c.group = group ? *group : "";
    c.name = name ? *name : "";
    c.passes += static_cast<int64_t>(s.value.sum);
    c.fails += s.value.count - static_cast<int64_t>(s.value.sum);
  }
  std::vector<CheckResult> out;
  for (auto& [key, check] : by_key) out.push_back(std::move(check));
  return out;
}

VusStats vus_stats(const RunResult& result) {
  VusStats stats;
  if (result.timeline.empty()) return stats;
  stats.sampled = true;
  stats.last = result.timeline.back().vus;
  stats.min = stats.max = result.timeline.front().vus;
  for (const TimePoint& p : result.timeline) {
    stats.min = std::min(stats.min, p.vus);
    stats.max = std::max(stats.max, p.vus);
  }
  return stats;
}

}  // namespace stampede
