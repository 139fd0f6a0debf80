#include "engine/exec/plan.h"

#include <algorithm>
#include <cmath>

namespace stampede {

const char* executor_name(ExecutorKind kind) {
  switch (kind) {
    case ExecutorKind::kConstantVus:
      return "constant-vus";
    case ExecutorKind::kRampingVus:
      return "ramping-vus";
    case ExecutorKind::kPerVuIterations:
      return "per-vu-iterations";
    case ExecutorKind::kSharedIterations:
      return "shared-iterations";
    case ExecutorKind::kConstantArrivalRate:
      return "constant-arrival-rate";
    case ExecutorKind::kRampingArrivalRate:
      return "ramping-arrival-rate";
  }
  return "unknown";
}

bool is_arrival_rate(ExecutorKind kind) {
  return kind == ExecutorKind::kConstantArrivalRate || kind == ExecutorKind::kRampingArrivalRate;
}

Nanos ScenarioPlan::active_duration() const {
  switch (executor) {
    case ExecutorKind::kConstantVus:
    case ExecutorKind::kConstantArrivalRate:
      return duration;
    case ExecutorKind::kRampingVus:
    case ExecutorKind::kRampingArrivalRate:
      return stages_total(stages);
    case ExecutorKind::kPerVuIterations:
    case ExecutorKind::kSharedIterations:
      return max_duration;
  }
  return duration;
}

int64_t ScenarioPlan::peak_vus() const {
  switch (executor) {
    case ExecutorKind::kRampingVus: {
      double peak = static_cast<double>(start_vus);
      for (const Stage& s : stages) peak = std::max(peak, s.target);
      return static_cast<int64_t>(std::ceil(peak));
    }
    case ExecutorKind::kConstantArrivalRate:
    case ExecutorKind::kRampingArrivalRate:
      return std::max(pre_allocated_vus, max_vus);
    default:
      return vus;
  }
}

Nanos RunPlan::planned_duration() const {
  Nanos longest = 0;
  for (const ScenarioPlan& s : scenarios)
    longest = std::max(longest, s.start_time + s.active_duration());
  return longest;
}

Nanos RunPlan::max_duration() const {
  Nanos longest = 0;
  for (const ScenarioPlan& s : scenarios) {
    longest = std::max(longest, s.start_time + s.active_duration() + s.graceful_stop);
  }
  return longest;
}

}  // namespace stampede
