// The generator self-check verdict: summarizes the per-second figures of a run into
// GeneratorStats and decides whether the generator was the bottleneck. Pure function.
#pragma once

#include <vector>

#include "engine/metrics/hdr_histogram.h"
#include "engine/run/run_result.h"

namespace stampede {

// `points`: the run's seconds (TimePoint::cpu_percent etc.); `schedule_lag`: every open-model
// iteration's lag in µs; `process_cpu_percent`: the process's CPU over the run, percent of one
// core.
GeneratorStats summarize_generator(const std::vector<TimePoint>& points,
                                   const HdrHistogram& schedule_lag, int workers,
                                   double process_cpu_percent);

}  // namespace stampede
