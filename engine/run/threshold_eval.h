// Evaluates a plan's thresholds against the run's aggregate (k6 semantics). Pure; the
// aggregator calls it every second for abort_on_fail rules and once at the end for all.
#pragma once

#include <vector>

#include "engine/exec/plan.h"
#include "engine/metrics/metrics_aggregate.h"
#include "engine/run/run_result.h"

namespace stampede {

// The value `expr` compares for `value`: count, rate (per second for counters, `elapsed`
// being the run time so far), value, avg, min, max, med or p(N).
double threshold_observed(const ThresholdExpr& expr, const MetricValue& value, Nanos elapsed);

// One result per rule of every threshold, in plan order.
std::vector<ThresholdResult> evaluate_thresholds(const RunPlan& plan,
                                                 const MetricsAggregate& metrics, Nanos elapsed);

}  // namespace stampede
