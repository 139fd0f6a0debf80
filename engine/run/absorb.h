// Folding one interval snapshot into a RunResult — everything but the timeline: the metrics,
// script error counts and first tracebacks, interrupted iterations, series overflow. The run's
// controller and `stampede merge` (engine/fleet/run_merge.cc) both count through it, so a merged
// result adds up exactly like a single run's. Not thread-safe (the caller's thread owns result).
#pragma once

#include <string>
#include <vector>

#include "engine/metrics/interval_snapshot.h"
#include "engine/run/run_result.h"

namespace stampede {

// What changed that a caller may want to tell the user about.
struct AbsorbNews {
  std::vector<std::string> first_tracebacks;  // of script errors whose traceback was unknown
  bool series_overflow_began = false;         // the first snapshot that overflowed max_series
};

// Adds `snap` into `result` (whose metrics must be set).
AbsorbNews absorb_snapshot(const IntervalSnapshot& snap, RunResult& result);

}  // namespace stampede
