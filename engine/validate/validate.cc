#include "engine/validate/validate.h"

namespace stampede {
namespace {

PhaseAvailability phase(const ValidationInput& in, std::string name, const Window& w) {
  Availability a = in.timeline.availability(w.start, w.end, BucketSlo{});
  PhaseAvailability p;
  p.name = std::move(name);
  p.start = w.start;
  p.end = w.end;
  p.requests = a.requests;
  p.failed = a.failed;
  p.by_requests = a.by_requests;
  p.by_time = a.by_time;
  return p;
}

}  // namespace

std::vector<ValidationResult> run_validations(const ValidationInput& in) {
  std::vector<ValidationResult> out;
  for (const Expectation& e : in.plan.expectations) {
    ValidationResult r;
    switch (e.kind) {
      case ExpectKind::kAvailability:
        r = check_availability(e, in);
        break;
      case ExpectKind::kRecovery:
        r = check_recovery(e, in);
        break;
      case ExpectKind::kAutoscaling:
        r = check_autoscaling(e, in);
        break;
      case ExpectKind::kSelfHealing:
        r = check_self_healing(e, in);
        break;
      case ExpectKind::kZeroDowntime:
        r = check_zero_downtime(e, in);
        break;
      case ExpectKind::kCircuitBreaker:
        r = check_circuit_breaker(e, in);
        break;
    }
    r.name = e.name;
    r.kind = expect_kind_name(e.kind);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<PhaseAvailability> phase_availability(const ValidationInput& in) {
  std::vector<PhaseAvailability> out;
  out.push_back(phase(in, "baseline", baseline_window(in)));
  constexpr double kDefaultWindow = 30;
  for (const ChaosSpan& s : in.resilience.chaos_spans) {
    Window during = during_window(in, s.action_id, kDefaultWindow);
    if (during.start < 0) continue;
    out.push_back(phase(in, "during " + s.action_id, during));
    Window after = after_window(in, s.action_id, kDefaultWindow);
    if (after.end > after.start) out.push_back(phase(in, "recovery after " + s.action_id, after));
  }
  return out;
}

}  // namespace stampede
