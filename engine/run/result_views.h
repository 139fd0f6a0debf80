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

// One request name (the `name` tag: the request's name, or its URL) over the whole run.
struct RequestStats {
  std::string name;
  int64_t requests = 0;
  int64_t failed = 0;
  double error_rate = 0;                                                 // failed / requests
  double requests_per_second = 0;                                        // over the run's duration
  double avg = 0, min = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0;  // http_req_duration, ms
};

// Every request name with its counts and latency percentiles, ordered by name.
std::vector<RequestStats> request_stats(const RunResult& result);

}  // namespace stampede
