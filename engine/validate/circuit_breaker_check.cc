// circuit-breaker: while the dependency fails (the `during` action), the caller's breaker for
// it says open; once open, calls come back fast (p99 over the calls made, counting the ones the
// breaker refused as instant, within `fast_fail`) and few of them still reach the dependency
// (at most `max_reached_share`); after the action is reverted the breaker closes within
// `close_within`. All from the caller pods' /metrics, sampled every second.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/validate/validate.h"

namespace stampede {
namespace {

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.0f", v);
  return buf;
}

// The latency bound (s) under which `percentile` % of the calls between two samples fell:
// refused calls count as instant; attempts come from the cumulative histogram's difference.
// -1: no calls.
double quantile_seconds(const BreakerSample& from, const BreakerSample& to, double percentile) {
  double refused = std::max(0.0, to.calls_refused - from.calls_refused);
  std::vector<std::pair<double, double>> buckets;
  for (const auto& [le, n] : to.latency) {
    double before = 0;
    for (const auto& [le0, n0] : from.latency) {
      if (le0 == le) before = n0;
    }
    buckets.emplace_back(le, std::max(0.0, n - before));
  }
  double attempts = buckets.empty() ? 0 : buckets.back().second;  // the +Inf bucket
  double total = refused + attempts;
  if (total <= 0) return -1;
  double need = percentile / 100 * total;
  if (refused >= need) return 0;
  for (const auto& [le, cumulative] : buckets) {
    if (refused + cumulative >= need) return le;
  }
  return HUGE_VAL;
}

}  // namespace

ValidationResult check_circuit_breaker(const Expectation& e, const ValidationInput& in) {
  ValidationResult r;
  const ChaosSpan* span = span_of(in, e.during);
  if (span == nullptr) {
    r.summary = not_applied(in, e.during);
    return r;
  }
  double start = span->start;
  double end = span->end >= 0 ? span->end : in.run_end;
  std::vector<const BreakerSample*> samples;
  for (const BreakerSample& b : in.observations.breakers) {
    if (b.caller == e.caller && b.dependency == e.dependency && b.pods > 0) samples.push_back(&b);
  }
  std::string who = e.caller + "'s breaker for " + e.dependency;
  r.evidence.push_back(
      {"fault", e.during + " from " + seconds_text(start) + " to " + seconds_text(end), start});
  if (samples.empty()) {
    r.summary = "no metrics from " + e.caller + "'s pods mention dependency " + e.dependency +
                " (is the name right? see the run's warnings)";
    return r;
  }
  const BreakerSample* before = nullptr;  // the last sample before the fault
  const BreakerSample* opened = nullptr;
  const BreakerSample* last_in = nullptr;
  for (const BreakerSample* b : samples) {
    if (b->t <= start) before = b;
    if (b->t >= start && b->t <= end) {
      if (opened == nullptr && b->open_pods > 0) opened = b;
      last_in = b;
    }
  }
  if (opened == nullptr) {
    r.evidence.push_back({"breaker state", "never open during the fault", -1});
    if (before != nullptr && last_in != nullptr) {
      double reached = last_in->calls_reached - before->calls_reached;
      double failed = last_in->calls_failed - before->calls_failed;
      r.evidence.push_back({"calls during the fault",
                            number_text(reached) + " reached " + e.dependency + ", " +
                                number_text(failed) + " failed",
                            -1});
    }
    r.summary = who + " never said open while " + e.during + " was in effect";
    return r;
  }
  r.evidence.push_back(
      {"breaker open", seconds_text(opened->t - start) + " after the fault began", opened->t});
  std::string why;
  // Calls while open: from the first open sample to the last sample before the revert.
  double reached = last_in->calls_reached - opened->calls_reached;
  double refused = last_in->calls_refused - opened->calls_refused;
  double calls = reached + refused;
  if (calls <= 0) {
    why = "no calls to " + e.dependency + " while the breaker was open (is there load?)";
  } else {
    double share = reached / calls;
    r.evidence.push_back({"calls while open",
                          number_text(refused) + " refused by the breaker, " +
                              number_text(reached) + " reached " + e.dependency + " (" +
                              ratio_text(share) + ")",
                          -1});
    if (share > e.max_reached_share) {
      why = ratio_text(share) + " of the calls still reached " + e.dependency + " (max " +
            ratio_text(e.max_reached_share) + ")";
    }
    double q = quantile_seconds(*opened, *last_in, e.fast_fail_percentile);
    double bound = static_cast<double>(e.fast_fail) / kNanosPerSecond;
    char q_text[64], q_name[32];
    // Refused calls count as instant; the others are bounded by their histogram bucket's edge.
    if (q <= 0) {
      std::snprintf(q_text, sizeof(q_text), "0 s (refused at once by the breaker)");
    } else {
      std::snprintf(q_text, sizeof(q_text), "<= %g s", q);
    }
    std::snprintf(q_name, sizeof(q_name), "p%g", e.fast_fail_percentile);
    r.evidence.push_back({std::string(q_name) + " of calls while open", q_text, -1});
    if (q > bound + 1e-9) {
      why += (why.empty() ? "" : "; ") + std::string("calls did not fail fast: ") + q_name + " " +
             q_text + " > " + seconds_text(bound);
    }
  }
  if (before != nullptr && opened->t > before->t) {
    double rate_before = 0;
    const BreakerSample* first = samples.front();
    if (before->t > first->t) {
      rate_before = (before->calls_reached - first->calls_reached) / (before->t - first->t);
    }
    double rate_open = last_in->t > opened->t ? reached / (last_in->t - opened->t) : 0;
    char buf[96];
    std::snprintf(buf, sizeof(buf), "%.1f/s before the fault, %.1f/s while open", rate_before,
                  rate_open);
    r.evidence.push_back({"calls reaching " + e.dependency, buf, -1});
  }
  const BreakerSample* closed = nullptr;
  for (const BreakerSample* b : samples) {
    if (b->t >= end && b->open_pods == 0 && b->half_open_pods == 0) {
      closed = b;
      break;
    }
  }
  double close_bound = static_cast<double>(e.close_within) / kNanosPerSecond;
  if (span->end < 0) {
    why += (why.empty() ? "" : "; ") + e.during + " was never reverted: cannot see it close";
  } else if (closed == nullptr) {
    why += (why.empty() ? "" : "; ") + std::string("still not closed when the run ended");
  } else {
    double took = closed->t - end;
    r.evidence.push_back({"breaker closed", seconds_text(took) + " after the revert", closed->t});
    if (took > close_bound + 1e-9) {
      why += (why.empty() ? "" : "; ") + std::string("closed ") + seconds_text(took) +
             " after the revert > " + seconds_text(close_bound);
    }
  }
  r.passed = why.empty();
  r.summary = r.passed ? who + " opened, failed fast and closed again" : who + ": " + why;
  return r;
}

}  // namespace stampede
