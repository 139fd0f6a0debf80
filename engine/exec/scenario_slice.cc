#include "engine/exec/scenario_slice.h"

#include <algorithm>

#include "engine/exec/segment.h"

namespace stampede {

ScenarioSlice::ScenarioSlice(const ScenarioPlan& plan, int worker_index, int worker_count)
    : plan_(&plan), index_(worker_index) {
  const int64_t peak = std::max<int64_t>(1, instance_vus(plan.peak_vus()));
  workers_ = static_cast<int>(std::clamp<int64_t>(peak, 1, std::max(1, worker_count)));
}

bool ScenarioSlice::active() const {
  return plan_->share.has_work && index_ >= 0 && index_ < workers_;
}

int64_t ScenarioSlice::instance_vus(int64_t total) const {
  return plan_->share.has_work ? plan_->share.vus.scale(total) : 0;
}

int64_t ScenarioSlice::vus(int64_t total) const {
  return segment_share(instance_vus(total), index_, workers_);
}

int64_t ScenarioSlice::vu_number(int64_t n) const {
  return plan_->share.vus.global_index(segment_global_index(n, index_, workers_));
}

int64_t ScenarioSlice::iteration_number(int64_t n) const {
  return plan_->share.vus.global_index(segment_global_index(n, index_, workers_));
}

int64_t ScenarioSlice::instance_iterations() const {
  return plan_->share.has_work ? plan_->share.work.scale(plan_->iterations) : 0;
}

int64_t ScenarioSlice::shared_iteration_number(int64_t k) const {
  return plan_->share.work.global_index(k);
}

int64_t ScenarioSlice::arrival(int64_t n) const {
  return plan_->share.work.global_index(segment_global_index(n, index_, workers_));
}

}  // namespace stampede
