// Applying an instance's execution segment to a RunPlan: fills RunPlan::segment and every
// ScenarioPlan::share as k6 does (see ScenarioShare in plan.h and engine/exec/execution_tuple.h).
// Pure; runs on the main thread while the plan is built.
#pragma once

#include "common/result.h"
#include "engine/exec/execution_tuple.h"
#include "engine/exec/plan.h"

namespace stampede {

// Errors only from the striping's limits (an LCD above kMaxStripingLcd when rescaling by a huge
// VU count), naming the scenario.
Status apply_execution_segment(RunPlan& plan, const ExecutionTuple& segment);

// This instance's part of one scenario against the whole, for --dry-run and validate.
struct ScenarioPart {
  int64_t vus = 0;  // the most VUs the instance uses
  int64_t vus_total = 0;
  int64_t iterations = -1;  // iteration-count executors (shared, per-VU); -1 otherwise
  int64_t iterations_total = -1;
  int64_t arrivals = -1;  // arrival-rate executors: planned iteration starts; -1 otherwise
  int64_t arrivals_total = -1;
};
ScenarioPart scenario_part(const ScenarioPlan& s);

}  // namespace stampede
