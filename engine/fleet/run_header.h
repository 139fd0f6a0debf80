// The run header of an interval log: what a run was (script, options, segment, registry) in
// fleet.proto terms, and the way back from a header to the registry and plan a merge needs.
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "engine/exec/plan.h"
#include "engine/metrics/metric_registry.h"
#include "fleet.pb.h"

namespace stampede {

inline constexpr const char* kStampedeVersion = "0.1.0";

struct RunHeaderInput {
  std::string script_path;
  const RunPlan* plan = nullptr;
  const MetricRegistry* registry = nullptr;
  std::string execution_segment = "0:1";
  std::string execution_segment_sequence;
  int64_t start_unix_ms = 0;
  int workers = 0;
};

// Builds the header: hashes the script file (an unreadable file hashes as ""), copies the
// plan's scenarios, thresholds and tags and the registry.
fleet::RunHeader make_run_header(const RunHeaderInput& input);

// FNV-1a 64 of the file's bytes as 16 hex digits; "" if it cannot be read.
std::string hash_file(const std::string& path);

// The options hash of a header: FNV-1a 64 over its scenarios, thresholds, tags and max_series.
std::string options_hash(const fleet::RunHeader& header);

// Registers the header's user metrics into `registry` (a fresh one: the built-ins must match
// the header's first entries). Errors name the metric that does not fit.
Status registry_from_header(const fleet::RunHeader& header, MetricRegistry& registry);

// The plan's scenarios, thresholds, tags and max_series from the header (what results and
// threshold evaluation read). Errors name a threshold or executor that does not parse.
Result<RunPlan> plan_from_header(const fleet::RunHeader& header);

}  // namespace stampede
