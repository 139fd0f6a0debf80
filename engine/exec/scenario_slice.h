// ScenarioSlice: one worker thread's part of one scenario — the instance's share of the
// scenario (its execution segment, ScenarioPlan::share) split evenly over the instance's
// workers (engine/exec/segment.h), so that all workers of all instances of a sequence add up to
// the unsegmented scenario exactly, at every moment.
//
// The instance's items (VUs, iterations, arrivals) are numbered j = 0, 1, ... in global order;
// worker w of W takes j ≡ w (mod W), and the instance's j-th item is global item
// tuple.global_index(j). Counts compose the same way: a worker's part of a total N is
// segment_share(tuple.scale(N), w, W).
//
// Value type built from a plan that outlives it; pure, thread-safe.
#pragma once

#include <cstdint>

#include "engine/exec/plan.h"

namespace stampede {

class ScenarioSlice {
 public:
  // Worker `worker_index` of the instance's `worker_count` worker threads.
  ScenarioSlice(const ScenarioPlan& plan, int worker_index, int worker_count);

  // The instance's workers that take part: one per VU the instance can have, at least one.
  int workers() const { return workers_; }
  // Whether this worker has a part (the instance has work and this worker takes part).
  bool active() const;
  // The instance's part of `total` VUs (a stage target, vus, pre_allocated_vus, max_vus).
  int64_t instance_vus(int64_t total) const;
  // This worker's part of `total` VUs.
  int64_t vus(int64_t total) const;
  // The scenario-wide number (0-based) of this worker's n-th VU; the VU's id is the scenario's
  // id base + number + 1. Below peak_vus() for every VU the worker may create.
  int64_t vu_number(int64_t n) const;
  // The scenario-wide number of this worker's n-th iteration (executors without a shared
  // iteration counter: constant-vus, ramping-vus, per-vu-iterations).
  int64_t iteration_number(int64_t n) const;
  // shared-iterations: how many of plan.iterations the instance runs (its workers share one
  // counter k = 0 ... instance_iterations()-1), and the scenario-wide number of its k-th.
  int64_t instance_iterations() const;
  int64_t shared_iteration_number(int64_t k) const;
  // arrival-rate executors: the global arrival index (for ArrivalSchedule::time_of) of this
  // worker's n-th arrival.
  int64_t arrival(int64_t n) const;

 private:
  const ScenarioPlan* plan_;
  int index_;
  int workers_;
};

}  // namespace stampede
