// recovery: time to detect (the first 100 ms bucket below the SLO after the action) and time
// to recover (from the end of the action — its revert, or the moment an instant action was
// applied — to the start of the first stretch of `stable` seconds that meets the SLO).
#include <algorithm>

#include "engine/validate/validate.h"

namespace stampede {

ValidationResult check_recovery(const Expectation& e, const ValidationInput& in) {
  ValidationResult r;
  const ChaosSpan* span = span_of(in, e.after);
  if (span == nullptr) {
    r.summary = not_applied(in, e.after);
    return r;
  }
  double start = span->start;
  double end = span->end >= 0 ? span->end : in.run_end;
  double window = static_cast<double>(e.window) / kNanosPerSecond;
  double within = static_cast<double>(e.within) / kNanosPerSecond;
  double stable = static_cast<double>(e.stable) / kNanosPerSecond;
  r.evidence.push_back({"action applied", seconds_text(start), start});
  if (end > start) r.evidence.push_back({"action reverted", seconds_text(end), end});
  if (span->end < 0) {
    r.summary = e.after + " was still in effect when the run ended: no recovery to measure";
    return r;
  }
  double bad = in.timeline.first_bad(start, std::min(in.run_end, end + window), e.slo);
  if (bad < 0) {
    r.passed = true;
    r.evidence.push_back({"time to detect", "no 100 ms bucket fell below the SLO", -1});
    r.evidence.push_back({"time to recover", "0.0 s", -1});
    r.summary = "no impact seen after " + e.after + ": every 100 ms bucket met the SLO";
    return r;
  }
  double detect = bad - start;
  r.evidence.push_back({"time to detect", seconds_text(std::max(0.0, detect)), bad});
  double good = in.timeline.first_good_streak(std::max(bad, end), stable, e.slo);
  if (good < 0) {
    r.evidence.push_back({"time to recover", "not recovered before the run ended", -1});
    r.summary = "did not recover after " + e.after + ": no " + seconds_text(stable) +
                " stretch met the SLO before the run ended";
    return r;
  }
  double recover = std::max(0.0, good - end);
  r.evidence.push_back({"time to recover", seconds_text(recover), good});
  Availability during = in.timeline.availability(bad, good, e.slo);
  r.evidence.push_back({"impact",
                        std::to_string(during.failed) + " of " + std::to_string(during.requests) +
                            " requests failed in " + seconds_text(good - bad),
                        -1});
  for (const PlatformEvent& ev : in.resilience.platform_events) {
    if (ev.t >= start && ev.t <= good &&
        (ev.kind == "pod-ready" || ev.kind == "pod-restarted" || ev.kind == "rollout-finished")) {
      r.evidence.push_back({ev.kind, ev.deployment + (ev.pod.empty() ? "" : "/" + ev.pod), ev.t});
    }
  }
  r.passed = recover <= within + 1e-9;
  std::string fail;
  if (!r.passed) fail = "recovered in " + seconds_text(recover) + " > " + seconds_text(within);
  if (e.detect_within >= 0) {
    double bound = static_cast<double>(e.detect_within) / kNanosPerSecond;
    if (detect > bound + 1e-9) {
      r.passed = false;
      fail += (fail.empty() ? "" : "; ") + std::string("detected in ") + seconds_text(detect) +
              " > " + seconds_text(bound);
    }
  }
  r.summary = r.passed ? "recovered " + seconds_text(recover) + " after " + e.after +
                             " (detected after " + seconds_text(std::max(0.0, detect)) + ")"
                       : fail;
  return r;
}

}  // namespace stampede
