// availability: the share of requests that succeeded, and of 100 ms buckets that met the SLO,
// in one phase of the run.
#include "engine/validate/validate.h"

namespace stampede {

ValidationResult check_availability(const Expectation& e, const ValidationInput& in) {
  ValidationResult r;
  double window = static_cast<double>(e.window) / kNanosPerSecond;
  Window w;
  std::string phase;
  if (!e.during.empty()) {
    w = during_window(in, e.during, window);
    phase = "during " + e.during;
  } else if (!e.after.empty()) {
    w = after_window(in, e.after, window);
    phase = "after " + e.after;
  } else if (e.phase == "baseline") {
    w = baseline_window(in);
    phase = "baseline";
  } else {
    w = Window{0, in.run_end, "the whole run"};
    phase = "the whole run";
  }
  const std::string& id = e.during.empty() ? e.after : e.during;
  if (w.start < 0) {
    r.summary = not_applied(in, id);
    return r;
  }
  Availability a = in.timeline.availability(w.start, w.end, e.slo);
  r.evidence.push_back(
      {"phase",
       phase + ": " + seconds_text(w.start) + " to " + seconds_text(w.end) + " (" + w.how + ")",
       w.start});
  r.evidence.push_back(
      {"requests",
       std::to_string(a.requests - a.failed) + " of " + std::to_string(a.requests) + " succeeded",
       -1});
  r.evidence.push_back({"availability by requests", ratio_text(a.by_requests), -1});
  r.evidence.push_back({"availability by time",
                        ratio_text(a.by_time) + " (" + std::to_string(a.good_buckets) + " of " +
                            std::to_string(a.buckets) + " 100 ms buckets met the SLO)",
                        -1});
  double first_bad = in.timeline.first_bad(w.start, w.end, e.slo);
  if (first_bad >= 0)
    r.evidence.push_back({"first bucket below the SLO", seconds_text(first_bad), first_bad});
  r.passed = true;
  std::string why;
  if (e.min && a.by_requests < *e.min) {
    r.passed = false;
    why = "by requests " + ratio_text(a.by_requests) + " < " + ratio_text(*e.min);
  }
  if (e.min_by_time && a.by_time < *e.min_by_time) {
    r.passed = false;
    why += (why.empty() ? "" : ", ") + std::string("by time ") + ratio_text(a.by_time) + " < " +
           ratio_text(*e.min_by_time);
  }
  if (a.requests == 0 && e.min) {
    r.passed = false;
    why = "no requests " + phase + ": nothing to judge";
  }
  r.summary = r.passed ? "availability " + phase + " " + ratio_text(a.by_requests) +
                             " by requests, " + ratio_text(a.by_time) + " by time"
                       : "availability " + phase + ": " + why;
  return r;
}

}  // namespace stampede
