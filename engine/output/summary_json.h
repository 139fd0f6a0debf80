// summary.json: the run in the shape of k6's `--summary-export` file, so tools that read k6
// summaries read ours (docs/scripting.md, "summary.json"). Counters: count, rate; rates:
// passes, fails, value; gauges: value, min, max; trends: avg, min, med, max, p(90), p(95),
// p(99) (milliseconds for time trends). `thresholds` maps each expression to whether it
// FAILED — k6's historical meaning, kept for compatibility.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/run/run_result.h"

namespace stampede {

nlohmann::json render_summary_json(const RunResult& result);

}  // namespace stampede
