// autoscaling: after the load step (`from`), the HPA scales the target up within
// `scale_up_within`; the replicas it reaches match what the Kubernetes formula predicts for the
// CPU it measured — desired = ceil(current x utilization / target), unchanged within a
// tolerance of 0.1, clamped to [min, max] — within `replica_tolerance`; it does not scale down
// sooner than the scale-down stabilization window after its last scale-up; and the SLO was
// violated for at most `max_violation` seconds while it scaled up.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/validate/validate.h"

namespace stampede {
namespace {

constexpr double kTolerance = 0.1;

// The formula's answer for one sample; `unclamped` gets the value before [min, max].
int formula(const HpaSample& s, int* unclamped) {
  double ratio = s.utilization / s.target_utilization;
  int want = std::abs(ratio - 1) <= kTolerance
                 ? s.current
                 : static_cast<int>(std::ceil(s.current * ratio - 1e-9));
  if (unclamped != nullptr) *unclamped = want;
  return std::clamp(want, s.min_replicas, s.max_replicas);
}

}  // namespace

ValidationResult check_autoscaling(const Expectation& e, const ValidationInput& in) {
  ValidationResult r;
  double from = static_cast<double>(e.from) / kNanosPerSecond;
  std::vector<const HpaSample*> samples;
  for (const HpaSample& s : in.observations.hpa) {
    if (s.deployment == e.target && s.t >= from) samples.push_back(&s);
  }
  if (samples.empty()) {
    r.summary = "no HPA samples for " + e.target + " after " + seconds_text(from);
    return r;
  }
  const HpaSample& first = *samples.front();
  char spec[128];
  std::snprintf(spec, sizeof(spec), "min %d, max %d, target %g%% CPU", first.min_replicas,
                first.max_replicas, first.target_utilization);
  r.evidence.push_back({"HPA", spec, -1});
  int start_replicas = first.desired;
  // Scale events from the desired count, sample to sample.
  double first_up = -1, last_up = -1, first_down_after_up = -1;
  int reached = start_replicas;
  double reached_at = first.t;
  int prev = start_replicas;
  for (const HpaSample* s : samples) {
    if (s->desired > prev) {
      if (first_up < 0) first_up = s->t;
      last_up = s->t;
      first_down_after_up = -1;
    } else if (s->desired < prev && last_up >= 0 && first_down_after_up < 0) {
      first_down_after_up = s->t;
    }
    if (s->desired > reached) {
      reached = s->desired;
      reached_at = s->t;
    }
    prev = s->desired;
  }
  // The formula at the peak demand the HPA measured until it reached its highest count (the
  // whole run when it never scaled up).
  double formula_until = reached > start_replicas ? reached_at : in.run_end;
  int predicted = start_replicas, unclamped_peak = start_replicas;
  double predicted_at = -1, peak_utilization = -1;
  for (const HpaSample* s : samples) {
    if (s->t > formula_until || s->utilization < 0 || s->current <= 0) continue;
    int unclamped = 0;
    int want = formula(*s, &unclamped);
    if (want > predicted || predicted_at < 0) {
      predicted = std::max(predicted, want);
      predicted_at = s->t;
    }
    if (unclamped > unclamped_peak) {
      unclamped_peak = unclamped;
      peak_utilization = s->utilization;
    }
  }
  double within = static_cast<double>(e.scale_up_within) / kNanosPerSecond;
  std::string why;
  if (first_up < 0) {
    r.evidence.push_back({"first scale-up", "none", -1});
    why = "no scale-up within " + seconds_text(within) + " of the load step (replicas stayed at " +
          std::to_string(start_replicas) + ")";
    if (unclamped_peak > first.max_replicas) {
      char buf[160];
      std::snprintf(
          buf, sizeof(buf),
          "; the formula asked for %d replicas (cpu %.0f%% of %g%%) but max_replicas is %d",
          unclamped_peak, peak_utilization, first.target_utilization, first.max_replicas);
      why += buf;
    }
  } else {
    r.evidence.push_back(
        {"first scale-up", seconds_text(first_up - from) + " after the load step", first_up});
    if (first_up - from > within + 1e-9) {
      why = "first scale-up " + seconds_text(first_up - from) + " after the load step > " +
            seconds_text(within);
    }
  }
  r.evidence.push_back({"replicas reached",
                        std::to_string(reached) + " (formula: " + std::to_string(predicted) + ")",
                        reached_at});
  if (std::abs(reached - predicted) > e.replica_tolerance) {
    why += (why.empty() ? "" : "; ") + std::string("reached ") + std::to_string(reached) +
           " replicas, the formula predicts " + std::to_string(predicted) + " for the measured CPU";
  }
  // Scale-down: not before the stabilization window after the last scale-up.
  double window = e.scale_down_window >= 0
                      ? static_cast<double>(e.scale_down_window) / kNanosPerSecond
                  : first.scale_down_window_seconds >= 0 ? first.scale_down_window_seconds
                                                         : 300;
  if (first_down_after_up >= 0) {
    double after = first_down_after_up - last_up;
    r.evidence.push_back(
        {"first scale-down",
         seconds_text(after) + " after the last scale-up (window " + seconds_text(window) + ")",
         first_down_after_up});
    constexpr double kSamplingSlack = 2;  // samples are a second apart, and so may the syncs be
    if (after + kSamplingSlack < window) {
      why += (why.empty() ? "" : "; ") + std::string("scaled down ") + seconds_text(after) +
             " after the last scale-up, inside the stabilization window " + seconds_text(window);
    }
  } else {
    r.evidence.push_back({"first scale-down", "none during the run", -1});
  }
  // Seconds of SLO violation while scaling up: from the load step until the highest count.
  double until = first_up < 0 ? in.run_end : reached_at;
  Availability av = in.timeline.availability(from, until, e.slo);
  double violation =
      static_cast<double>(av.buckets - av.good_buckets) * FineTimeline::kBucketSeconds;
  r.evidence.push_back({"SLO violation while scaling up", seconds_text(violation), -1});
  if (e.max_violation >= 0) {
    double bound = static_cast<double>(e.max_violation) / kNanosPerSecond;
    if (violation > bound + 1e-9) {
      why += (why.empty() ? "" : "; ") + seconds_text(violation) + " of SLO violation > " +
             seconds_text(bound);
    }
  }
  r.passed = why.empty();
  r.summary = r.passed ? e.target + " scaled " + std::to_string(start_replicas) + " -> " +
                             std::to_string(reached) + ", " + seconds_text(first_up - from) +
                             " after the load step"
                       : e.target + ": " + why;
  return r;
}

}  // namespace stampede
