// ChaosSession: the chaos part of one `stampede run`, as the RunController sees it. prepare()
// runs before any load (connects the platform the PlatformTarget names, refuses to start
// while the chaos journal still lists faults of an earlier run, and preflights the plan);
// start() hands the timeline to a ChaosController on the run's clock; observe() and guard() are
// fed from the aggregation loop; stop() reverts every fault (idempotent: called on abort, on
// SIGINT/SIGTERM and at the end); finish() puts chaos events, platform samples, phases and
// verdicts into the RunResult. Main thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/chaos/chaos_controller.h"
#include "engine/chaos/preflight.h"
#include "engine/exec/plan.h"
#include "engine/metrics/interval_snapshot.h"
#include "engine/platform/platform.h"
#include "engine/platform/platform_target.h"
#include "engine/run/run_result.h"

namespace stampede {

class ChaosSession {
 public:
  // Null when the plan has neither chaos nor expectations. Errors (bad targets, an unreachable
  // platform, faults pending in the journal) name the problem; nothing has been applied.
  static Result<std::unique_ptr<ChaosSession>> prepare(const RunPlan& plan,
                                                       const PlatformTarget& target);
  // For tests: with a given platform instead of the one the target names (may be null when
  // the plan needs none).
  static Result<std::unique_ptr<ChaosSession>> prepare_with(const RunPlan& plan,
                                                            const std::string& state_dir,
                                                            std::unique_ptr<Platform> platform);
  ~ChaosSession();

  // What preflight found; null when no platform was needed.
  const PreflightReport* preflight() const { return report_ ? &*report_ : nullptr; }

  // Starts the chaos timeline at the run's t = 0. Errors: the journal cannot be opened.
  Status start(Nanos run_start);
  // Counts connection errors per second from a worker snapshot.
  void observe(const IntervalSnapshot& snapshot);
  // The availability guard over the last complete seconds; a message when the run must abort.
  std::optional<std::string> guard(const std::vector<TimePoint>& timeline) const;
  // Reverts everything and stops sampling. Idempotent.
  void stop();
  // After stop(): fills result.resilience (validations from result.fine_timeline).
  void finish(RunResult& result);
  // Warnings for the user (sampling failures, faults left in the journal).
  std::vector<std::string> warnings() const;

 private:
  ChaosSession(const RunPlan& plan, std::string state_dir)
      : plan_(plan), state_dir_(std::move(state_dir)) {}

  const RunPlan& plan_;
  std::string state_dir_;
  std::unique_ptr<Platform> platform_;  // until start() hands it to the controller
  std::optional<PreflightReport> report_;
  std::unique_ptr<ChaosController> controller_;
  std::vector<ConnectionErrors> connection_errors_;
  std::vector<std::string> warnings_;
  Nanos run_start_ = 0;
};

}  // namespace stampede
