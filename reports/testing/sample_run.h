// A synthetic run for the report tests: a RunResult with known requests, thresholds, timeline,
// fine timeline and — since real chaos runs come from the chaos controller — synthetic
// resilience data (a pod-kill and a fault with their events, replica samples of two
// deployments, phases and validations with evidence). Test-only; not thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>

#include "engine/run/run_result.h"

namespace stampede::testing {

struct SampleOptions {
  bool resilience = true;      // chaos, platform samples, phases and validations
  bool failing = false;        // a failed threshold and a failed validation
  double latency_scale = 1.0;  // multiplies every latency (for compare regressions)
  bool bottleneck = false;     // generator stats over the limits
};

// Owns the registry and plan the RunResult points into.
struct SampleRun {
  std::unique_ptr<MetricRegistry> registry;
  std::unique_ptr<RunPlan> plan;
  RunResult result;
};

std::unique_ptr<SampleRun> make_sample_run(const SampleOptions& options);

// render_results_json() of the sample, with the exit code its verdict implies.
nlohmann::json sample_results_doc(const SampleOptions& options);

}  // namespace stampede::testing
