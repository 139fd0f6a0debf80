// What every validation reads: the plan, the 100 ms timeline, what the chaos controller saw,
// and the run's length — plus the windows derived from them (when an action was in effect,
// the phase after it). Read-only; built on the main thread after the run.
#pragma once

#include <string>
#include <vector>

#include "engine/chaos/chaos_plan.h"
#include "engine/chaos/observations.h"
#include "engine/run/fine_timeline.h"
#include "engine/run/resilience_result.h"

namespace stampede {

struct ValidationInput {
  const ChaosPlan& plan;
  const FineTimeline& timeline;
  const ResilienceResult& resilience;  // chaos events and spans, platform samples and events
  const ChaosObservations& observations;
  double run_end = 0;  // seconds
};

// A stretch of the run, in seconds.
struct Window {
  double start = 0;
  double end = 0;
  std::string how;  // how the end was found, for evidence ("reverted", "rollout-finished", ...)
};

// The span of action `id`, or nullptr when it was never applied.
const ChaosSpan* span_of(const ValidationInput& in, const std::string& id);

// While action `id` was in effect: from when it was applied until it was reverted; for an
// instant action (pod-kill, pod-terminate, rollout-restart) until the platform reported its pods
// ready again (the rollout finished), at most `cap` seconds. Empty (start = end = -1) when the
// action was never applied.
Window during_window(const ValidationInput& in, const std::string& id, double cap);

// The phase after action `id`: from the end of during_window for `length` seconds, cut at the
// next action's start and at the end of the run.
Window after_window(const ValidationInput& in, const std::string& id, double length);

// For an action that deletes pods (pod-kill, pod-terminate): its replacements' pod-ready
// events, in order — the first Ready of each pod of the action's deployments that the platform
// reported created (pod-created) after the action was requested. A pod that existed before
// (flapping back to Ready) is no replacement.
std::vector<PlatformEvent> replacements_ready(const ValidationInput& in, const AppliedAction& a);
// How many replacements an action on pods must see: one per pod it hit (at least one).
size_t replacements_needed(const AppliedAction& a);

// The run before the first action was applied (the whole run when none was).
Window baseline_window(const ValidationInput& in);

// "action fault#1 was never applied: <why>", for verdicts that need an action that failed.
std::string not_applied(const ValidationInput& in, const std::string& id);

// Formatting for evidence: "2.3 s", "0.9987", "3 of 40".
std::string seconds_text(double s);
std::string ratio_text(double r);

}  // namespace stampede
