// Reads the script's global `options` table (k6 names in snake_case) and the CLI overrides into
// a RunPlan. Runs on the main thread after the script's init code, so user metrics declared
// there can be named by thresholds.
#pragma once

#include <lua.hpp>

#include <optional>
#include <string>

#include "common/result.h"
#include "engine/exec/plan.h"
#include "engine/lua/segment_options_reader.h"
#include "engine/metrics/metric_registry.h"

namespace stampede {

// Execution shortcuts from the command line. Any of vus/duration/iterations/rate replaces the
// script's scenarios with one scenario running the global function `default`, as k6 does.
struct CliOverrides {
  std::optional<int64_t> vus;
  std::optional<Nanos> duration;
  std::optional<int64_t> iterations;
  std::optional<double> rate;  // iterations per second: a constant-arrival-rate scenario
  int threads = 0;
  SegmentFlags segment;  // --execution-segment, --execution-segment-sequence
};

// Builds the plan. Errors name the option path ("options.scenarios.shop.duration: ...").
Result<RunPlan> read_run_plan(lua_State* L, const CliOverrides& cli,
                              const MetricRegistry& registry);

}  // namespace stampede
