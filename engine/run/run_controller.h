// RunController: one `stampede run` from script to RunResult.
//
// prepare() loads the script on the main thread, runs its init code and reads the plan (no
// load is sent); with chaos/expect options it also connects the platform and preflights the
// chaos plan (no fault is applied). run() runs setup(), starts the workers, aggregates their
// snapshots once a second (progress, abort_on_fail thresholds, SIGINT/SIGTERM), runs teardown() and
// evaluates the thresholds; with chaos it runs the timeline alongside (ChaosSession), reverts every
// fault however the run ends, and judges the validations. The controller is the only place that
// talks to the workers.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "common/result.h"
#include "engine/exec/plan.h"
#include "engine/fleet/interval_recorder.h"
#include "engine/lua/options_reader.h"
#include "engine/metrics/metric_registry.h"
#include "engine/output/progress_sink.h"
#include "engine/platform/platform_target.h"
#include "engine/run/chaos_session.h"
#include "engine/run/run_observer.h"
#include "engine/run/run_result.h"

namespace stampede {

struct RunOptions {
  std::string script_path;
  CliOverrides cli;
  std::map<std::string, std::string> env;  // -e KEY=VALUE, applied over the process environment
  bool include_system_env = true;
  std::string hlog_path;            // where to stream latency.hlog; empty for none
  std::string intervals_path;       // where to append intervals.pb (fleet.proto); empty for none
  RunObserver* observer = nullptr;  // live view of the run (e.g. /metrics); not owned; may be null
  PlatformTarget platform;          // what chaos acts on (and the state dir of its journal)
  bool offline = false;  // validate: check the chaos options without contacting the platform
};

// Why prepare() failed, for the exit code.
enum class PrepareFailure { kConfig, kScript };

class RunController {
 public:
  // Errors: `failure` says whether the options/flags (config) or the script itself is at fault.
  static Result<std::unique_ptr<RunController>> prepare(const RunOptions& options,
                                                        PrepareFailure* failure);

  const RunPlan& plan() const { return plan_; }
  const MetricRegistry& registry() const { return registry_; }
  // The chaos part of the run (preflight report, warnings); null without chaos/expect.
  const ChaosSession* chaos() const { return chaos_.get(); }

  // Runs the test. Never throws; whatever was measured is in the result, however it ended.
  // With `intervals_path`, the interval log gets its header first, a delta per second as each
  // closes, and the footer once the result is complete.
  RunResult run(ProgressSink& progress);

 private:
  RunController() = default;
  RunResult run_load(ProgressSink& progress, IntervalRecorder* recorder);
  int worker_count() const;

  RunOptions options_;
  MetricRegistry registry_;
  RunPlan plan_;
  std::string script_dir_;
  bool has_setup_ = false;
  bool has_teardown_ = false;
  std::unique_ptr<ChaosSession> chaos_;
};

}  // namespace stampede
