// Views derived from a RunResult that several renderers show (terminal summary, summary.json):
// computed here once so every output agrees.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/run/run_result.h"

namespace stampede {

struct CheckResult {
  std::string group;  // "" at the top level, else "::outer::inner"
  std::string name;
  int64_t passes = 0;
  int64_t fails = 0;
};

// Every check, merged over its series, ordered by group then name.
std::vector<CheckResult> check_results(const RunResult& result);

struct VusStats {
  bool sampled = false;  // false when the run has no timeline (e.g. setup failed)
  int64_t last = 0;
  int64_t min = 0;
  int64_t max = 0;
};

// The `vus` gauge over the run's seconds.
VusStats vus_stats(const RunResult& result);

}  // namespace stampede
