// The exact merge of runs that split one test by execution segments: their interval logs are
// replayed, second by second, through the run's own aggregation (MetricsAggregate, Timeline),
// so counts add up, histograms add bucket by bucket and the outputs come from one RunResult
// like a single run's. Thresholds are evaluated again on the merged aggregate. The same path
// serves the coordinator later: it receives these deltas live. Main thread; not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/exec/plan.h"
#include "engine/fleet/merge_checks.h"
#include "engine/metrics/hlog_writer.h"
#include "engine/metrics/metric_registry.h"
#include "engine/run/run_result.h"

namespace stampede {

// A merged result and what it points into (result.plan, result.metrics' registry).
struct MergedRun {
  std::unique_ptr<MetricRegistry> registry;
  std::unique_ptr<RunPlan> plan;
  RunResult result;
};

// Reads DIR/intervals.pb of every folder. Errors name the folder's file (see read_interval_log).
Result<std::vector<MergeSource>> read_merge_sources(const std::vector<std::string>& dirs);

// Checks the inputs (merge_checks.h) and merges them. `hlog`, when given, has its header written
// and receives the merged latency intervals. Errors: the refusals of merge_checks.h, or a log
// whose contents do not decode (naming its folder). Warnings (missing segments, runs that did
// not finish) are in result.merge->warnings.
Result<MergedRun> merge_runs(const std::vector<MergeSource>& inputs, HlogWriter* hlog);

}  // namespace stampede
