// RunResult: the one result model of a run. The terminal summary, summary.json and (later) the
// HTML, JUnit and Markdown reports are all rendered from it; nothing else is measured twice.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/clock.h"
#include "engine/exec/plan.h"
#include "engine/metrics/metrics_aggregate.h"
#include "engine/run/fine_timeline.h"
#include "engine/run/generator_stats.h"
#include "engine/run/resilience_result.h"

namespace stampede {

// How the run ended; main() maps it (with threshold results) to the exit code.
enum class RunOutcome {
  kCompleted,
  kInterrupted,         // SIGINT/SIGTERM: stopped early, results kept (exit 105)
  kAbortedByThreshold,  // an abort_on_fail threshold failed (exit 108)
  kSetupFailed,         // setup() threw (exit 107)
};

// The outcome as the JSON outputs spell it ("aborted_by_threshold").
inline const char* run_outcome_name(RunOutcome o) {
  switch (o) {
    case RunOutcome::kCompleted:
      return "completed";
    case RunOutcome::kInterrupted:
      return "interrupted";
    case RunOutcome::kAbortedByThreshold:
      return "aborted_by_threshold";
    case RunOutcome::kSetupFailed:
      return "setup_failed";
  }
  return "unknown";
}

struct ThresholdResult {
  std::string metric_key;  // the thresholds key as written ("http_req_duration{name:home}")
  std::string expression;  // "p(99)<800"
  double observed = 0;     // the aggregate the expression compared (ms for time trends)
  bool passed = true;
  bool no_samples = false;  // nothing matched the selector; k6 then passes the threshold
  bool abort_on_fail = false;
};

// One second of the run, all workers merged.
struct TimePoint {
  double t = 0;  // seconds since the run started (end of the interval)
  int64_t requests = 0;
  int64_t failed = 0;
  int64_t iterations = 0;
  int64_t dropped = 0;
  int64_t vus = 0;
  double p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0;  // http_req_duration, ms
  // Generator self-check for this second: the busiest worker's CPU (percent of one core), the
  // longest a worker waited for a CPU (percent of the second; -1 unknown), the latest interval
  // tick among the workers (ms) and the p99 schedule lag of open-model iterations (ms; 0 when
  // none started).
  double cpu_percent = 0;
  double cpu_wait_percent = -1;
  double loop_lag_ms = 0;
  double schedule_lag_p99_ms = 0;
};

struct ScriptErrorCount {
  std::string message;
  int64_t count = 0;
  std::string traceback;
};

// One input of `stampede merge`: what that run contributed.
struct MergeInput {
  std::string dir;
  std::string segment;  // "0:1/3"
  std::string outcome;  // the input run's own outcome; "killed" when its log has no footer
  int64_t requests = 0;
  int64_t errors = 0;  // failed requests (http_req_failed)
  int64_t iterations = 0;
  int64_t seconds = 0;  // seconds of load in its log
};

// How a merged result was put together (`stampede merge`); empty for a single run.
struct MergeInfo {
  std::vector<MergeInput> inputs;
  std::string sequence;  // the segment sequence the inputs share ("" when none was given)
  std::string covered;   // the share of the test the inputs cover, exactly ("2/3", "1")
  std::vector<std::string> missing;  // segments of 0:1 no input covered ("2/3:1")
  std::vector<std::string> warnings;
};

struct RunResult {
  std::string script;
  const RunPlan* plan = nullptr;
  int64_t start_unix_ms = 0;
  Nanos duration = 0;  // from the run start to the last worker stopping
  RunOutcome outcome = RunOutcome::kCompleted;
  std::string outcome_detail;  // e.g. which threshold aborted, or setup's error
  std::unique_ptr<MetricsAggregate> metrics;
  std::vector<ThresholdResult> thresholds;
  std::vector<TimePoint> timeline;
  FineTimeline fine_timeline;  // 100 ms buckets (fine_timeline.h)
  GeneratorStats generator;    // was the generator the bottleneck? (generator_stats.h)
  std::vector<ScriptErrorCount> script_errors;
  int64_t interrupted_iterations = 0;
  int64_t vus_max = 0;
  bool series_overflow = false;
  ResilienceResult resilience;  // chaos, platform and validations; empty without `chaos`/`expect`
  std::optional<MergeInfo> merge;  // set by `stampede merge` only

  bool thresholds_passed() const {
    for (const ThresholdResult& t : thresholds) {
      if (!t.passed) return false;
    }
    return true;
  }
};

}  // namespace stampede
