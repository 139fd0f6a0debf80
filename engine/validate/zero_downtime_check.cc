// zero-downtime: while an action replaces pods (typically rollout-restart, until its rollout
// finished), availability by requests stays >= min and no request loses its connection
// (connection reset or empty reply; counted per second from the workers' snapshots).
#include <cmath>
#include <set>

#include "engine/validate/validate.h"

namespace stampede {

ValidationResult check_zero_downtime(const Expectation& e, const ValidationInput& in) {
  ValidationResult r;
  double cap = static_cast<double>(e.window) / kNanosPerSecond;
  const AppliedAction* a = in.observations.action(e.during);
  // A rollout may take long: its window ends when the platform says it finished.
  if (a != nullptr && a->kind == ActionKind::kRolloutRestart) cap = in.run_end;
  Window w = during_window(in, e.during, cap);
  if (w.start < 0) {
    r.summary = not_applied(in, e.during);
    return r;
  }
  r.evidence.push_back({"window",
                        seconds_text(w.start) + " to " + seconds_text(w.end) + " (" + w.how + ")",
                        w.start});
  Availability av = in.timeline.availability(w.start, w.end, e.slo);
  r.evidence.push_back({"requests",
                        std::to_string(av.requests - av.failed) + " of " +
                            std::to_string(av.requests) + " succeeded",
                        -1});
  r.evidence.push_back({"availability by requests", ratio_text(av.by_requests), -1});
  int64_t resets = 0, refused = 0;
  double first_reset = -1;
  for (const ConnectionErrors& c : in.observations.connection_errors) {
    // Second s covers [s - 1, s): it overlaps the window when s > start and s - 1 < end.
    double s = static_cast<double>(c.second);
    if (s <= w.start || s - 1 >= w.end) continue;
    resets += c.resets;
    refused += c.refused;
    if (c.resets > 0 && first_reset < 0) first_reset = s - 1;
  }
  r.evidence.push_back({"connection resets", std::to_string(resets), first_reset});
  r.evidence.push_back({"connections refused", std::to_string(refused), -1});
  std::set<std::string> became_ready, went_away;  // pods, each counted once
  for (const PlatformEvent& ev : in.resilience.platform_events) {
    if (ev.t < w.start || ev.t > w.end) continue;
    if (ev.kind == "pod-ready") became_ready.insert(ev.pod);
    if (ev.kind == "pod-terminated" || ev.kind == "pod-exited") went_away.insert(ev.pod);
  }
  r.evidence.push_back({"pods",
                        std::to_string(became_ready.size()) + " became ready, " +
                            std::to_string(went_away.size()) + " went away",
                        -1});
  std::string why;
  if (a != nullptr && a->kind == ActionKind::kRolloutRestart && w.how != "rollout finished") {
    why = "the rollout did not finish before the run ended";
  }
  if (av.requests == 0) why += (why.empty() ? "" : "; ") + std::string("no requests to judge");
  if (av.by_requests < *e.min) {
    why += (why.empty() ? "" : "; ") + std::string("availability ") + ratio_text(av.by_requests) +
           " < " + ratio_text(*e.min) + " (" + std::to_string(av.failed) + " requests failed)";
  }
  if (resets > 0) {
    why += (why.empty() ? "" : "; ") + std::to_string(resets) + " connection resets";
  }
  r.passed = why.empty();
  r.summary = r.passed ? "no downtime during " + e.during + ": availability " +
                             ratio_text(av.by_requests) + ", no connection resets"
                       : "downtime during " + e.during + ": " + why;
  return r;
}

}  // namespace stampede
