// ActionRunner: applies one chaos action to the platform and takes it back — picks the pods,
// journals each undo step before acting (write-ahead), acts, and logs the action's life as
// ChaosEvents (requested, applied | failed, reverted). An action that fails part-way is rolled
// back at once, so no fault is ever left half-applied. Runs on the chaos controller's thread
// (and on the main thread when the controller is stopped); not thread-safe.
#pragma once

#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/chaos/chaos_journal.h"
#include "engine/chaos/chaos_plan.h"
#include "engine/chaos/observations.h"
#include "engine/platform/platform.h"
#include "engine/run/resilience_result.h"

namespace stampede {

class ActionRunner {
 public:
  // `now` gives seconds since the run started (for event times).
  ActionRunner(Platform& platform, ChaosJournal& journal, uint64_t seed,
               std::function<double()> now);

  // Applies `action`; fills `record` and appends events. Never throws; a failure is a "failed"
  // event with the reason, and nothing of the action stays applied.
  void apply(const ChaosAction& action, AppliedAction& record, std::vector<ChaosEvent>& events);
  // Undoes what apply() left applied (newest step first). Steps that fail stay pending in the
  // journal for `stampede chaos revert`; the event says so.
  void revert(const ChaosAction& action, AppliedAction& record, std::vector<ChaosEvent>& events);
  // True while some step of `action_id` is applied and not reverted.
  bool has_applied(const std::string& action_id) const;

 private:
  struct Applied {
    int64_t entry;
    UndoStep step;
  };
  // Journals `step`, then runs `act`; on success remembers the step under the action.
  Status journaled(const ChaosAction& action, const UndoStep& step,
                   const std::function<Status()>& act);
  // Undoes every remembered step of the action; returns the failures ("" when none).
  std::string undo_all(const std::string& action_id);
  Status apply_to_pods(const ChaosAction& action, AppliedAction& record, std::string& detail);
  Status apply_to_deployment(const ChaosAction& action, AppliedAction& record, std::string& detail);

  Platform& platform_;
  ChaosJournal& journal_;
  std::mt19937_64 rng_;
  std::function<double()> now_;
  std::map<std::string, std::vector<Applied>> applied_;
};

}  // namespace stampede
