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

std::vector<RequestStats> request_stats(const RunResult& result) {
  std::map<std::string, RequestStats> by_name;
  for (const auto& s : result.metrics->series()) {
    if (s.metric != kHttpReqs) continue;
    const std::string* name = s.tags->find("name");
    if (name != nullptr) by_name[*name].name = *name;
  }
  double seconds = static_cast<double>(result.duration) / kNanosPerSecond;
  std::vector<RequestStats> out;
  for (auto& [name, r] : by_name) {
    const std::vector<Tag> filter = {{"name", name}};
    MetricValue reqs = result.metrics->combine(kHttpReqs, filter);
    MetricValue failed = result.metrics->combine(kHttpReqFailed, filter);
    MetricValue latency = result.metrics->combine(kHttpReqDuration, filter);
    r.requests = static_cast<int64_t>(reqs.sum);
    r.failed = static_cast<int64_t>(failed.sum);
    r.error_rate =
        r.requests > 0 ? static_cast<double>(r.failed) / static_cast<double>(r.requests) : 0;
    r.requests_per_second = seconds > 0 ? static_cast<double>(r.requests) / seconds : 0;
    r.avg = latency.avg();
    r.min = latency.min;
    r.max = latency.max;
    r.p50 = latency.percentile(50);
    r.p90 = latency.percentile(90);
    r.p95 = latency.percentile(95);
    r.p99 = latency.percentile(99);
    out.push_back(std::move(r));
  }
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
