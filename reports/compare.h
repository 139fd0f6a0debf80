// `stampede compare base.json new.json`: per request name, the new run's p50, p95, p99, error
// rate and throughput against the base run's, with a regression gate (docs/reports.md,
// "compare"). Pure functions over checked results documents.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"

namespace stampede {

struct CompareOptions {
  double max_regression = 0.10;  // allowed relative change for the worse (0.10 = 10 %)
  double min_latency_delta_ms =
      1.0;  // a latency change smaller than this is noise, never a regression
  double min_error_delta = 0.001;  // an error-rate rise smaller than this (0.1 pp) is noise
};

struct CompareRow {
  std::string name;    // request name
  std::string metric;  // p50 | p95 | p99 | error_rate | rps
  double base = 0;
  double current = 0;
  double change = 0;  // relative: (current - base) / base; 0 when base is 0
  bool regression = false;
  std::string note;  // "missing in new run", "new in this run"
};

struct CompareReport {
  std::vector<CompareRow> rows;
  std::vector<std::string> regressions;  // one line each: "home p99 +45.2% (12.1 ms -> 17.6 ms)"
};

// "10%", "10" (both 10 %) or "0.5%"; errors name the flag.
Result<double> parse_regression_limit(const std::string& text);

// Errors when the two runs come from different scenarios (script file name or scenario names
// differ): comparing them would be meaningless.
Result<CompareReport> compare_results(const nlohmann::json& base, const nlohmann::json& current,
                                      const CompareOptions& options);

// The report as a fixed-width table followed by a one-line verdict.
std::string render_compare_table(const CompareReport& report, const CompareOptions& options);

}  // namespace stampede
