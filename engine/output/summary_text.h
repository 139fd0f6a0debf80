// The end-of-run summary for the terminal, rendered from the RunResult (k6's layout: checks,
// then every metric with samples, then thresholds, then script errors).
#pragma once

#include <string>

#include "engine/run/run_result.h"

namespace stampede {

struct SummaryStyle {
  bool color = false;
};

std::string render_summary_text(const RunResult& result, const SummaryStyle& style);

}  // namespace stampede
