// RunPlan: everything a run will do, resolved from the script's `options` and the CLI flags
// before any load is sent. Plain data; built on the main thread, then read-only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/chaos/chaos_plan.h"
#include "engine/core/clock.h"
#include "engine/exec/execution_tuple.h"
#include "engine/exec/schedule.h"
#include "engine/metrics/tag_set.h"
#include "engine/thresholds/metric_selector.h"
#include "engine/thresholds/threshold_expr.h"

namespace stampede {

enum class ExecutorKind {
  kConstantVus,
  kRampingVus,
  kPerVuIterations,
  kSharedIterations,
  kConstantArrivalRate,
  kRampingArrivalRate,
};

// k6's executor name ("ramping-arrival-rate").
const char* executor_name(ExecutorKind kind);
bool is_arrival_rate(ExecutorKind kind);

// This instance's part of one scenario under its execution segment (set by
// apply_execution_segment, engine/exec/segment_plan.h; the defaults are the whole scenario).
// k6's rules: VU counts are scaled with the instance's tuple; shared-iterations deals its
// iterations and the arrival-rate executors their arrivals with the tuple rescaled by the VUs
// (vus, max VUs), so an instance without VUs gets no work.
struct ScenarioShare {
  ExecutionTuple vus;    // VU counts (scale) and VU / iteration numbering (global_index)
  ExecutionTuple work;   // shared iterations and arrivals; the same as `vus` for other executors
  bool has_work = true;  // false: this instance takes no part in the scenario
};

// One named scenario with k6's option names and defaults. Fields an executor does not use keep
// their defaults.
struct ScenarioPlan {
  std::string name;
  ExecutorKind executor = ExecutorKind::kConstantVus;
  std::string exec = "default";  // global Lua function each iteration calls
  Nanos start_time = 0;
  Nanos graceful_stop = 30 * kNanosPerSecond;
  std::vector<Tag> tags;

  int64_t vus = 1;         // constant-vus, per-vu-iterations, shared-iterations
  Nanos duration = 0;      // constant-vus, constant-arrival-rate
  int64_t iterations = 1;  // per-vu-iterations (per VU), shared-iterations (total)
  Nanos max_duration = 10 * 60 * kNanosPerSecond;  // iteration-count executors

  int64_t start_vus = 1;      // ramping-vus
  std::vector<Stage> stages;  // ramping-vus, ramping-arrival-rate
  Nanos graceful_ramp_down = 30 * kNanosPerSecond;

  double rate = 0;        // constant-arrival-rate: iterations per time_unit
  double start_rate = 0;  // ramping-arrival-rate
  Nanos time_unit = kNanosPerSecond;
  int64_t pre_allocated_vus = 0;
  int64_t max_vus = 0;  // 0: same as pre_allocated_vus

  ScenarioShare share;  // this instance's part (the whole scenario unless segmented)

  // Time from the scenario's start to the moment no new iteration may begin.
  Nanos active_duration() const;
  // The most VUs the scenario can ever use.
  int64_t peak_vus() const;
};

// One threshold rule on one metric selector ("http_req_duration{name:checkout}": "p(99)<800").
struct ThresholdRule {
  ThresholdExpr expr;
  bool abort_on_fail = false;
  Nanos delay_abort_eval = 0;
};

struct ThresholdPlan {
  MetricSelector selector;
  std::vector<ThresholdRule> rules;
};

struct RunPlan {
  std::vector<ScenarioPlan> scenarios;
  std::vector<ThresholdPlan> thresholds;
  std::map<std::string, std::string> env;  // system environment overlaid with -e flags
  int threads = 0;                         // 0: one per core
  bool discard_response_bodies = false;
  int max_redirects = 10;
  // "auto": the native HTTP/1.1 transport for http:// to IP literals and localhost, libcurl for
  // everything else; "curl": libcurl for every request.
  std::string http_transport = "auto";
  std::string user_agent = "stampede/0.1";
  bool insecure_skip_tls_verify = false;
  Nanos setup_timeout = 60 * kNanosPerSecond;
  Nanos teardown_timeout = 60 * kNanosPerSecond;
  size_t max_series = 1000;  // distinct tag sets per worker before folding into {overflow:true}
  std::vector<Tag> tags;     // run-wide tags added to every sample
  ChaosPlan chaos;           // options.chaos and options.expect (engine/chaos/chaos_plan.h)
  // This instance's execution segment in its (filled) sequence; the whole test by default.
  ExecutionTuple segment;

  // The longest time the run can take (start_time + active duration + graceful stop).
  Nanos max_duration() const;
  // When the last scenario stops starting iterations (start_time + active duration): the run's
  // planned length, as the progress line shows it.
  Nanos planned_duration() const;
};

}  // namespace stampede
