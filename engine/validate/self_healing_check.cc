// self-healing: after an action on pods, the platform restarts (or replaces) them within the
// bound the liveness probe predicts — or, with restart = false, leaves them alone.
//   killed or terminated pod (a delete): a replacement pod Ready within
//                    bound = restart_allowance (+ the readiness probe's first success)
//   hung / paused:   bound = (failureThreshold - 1) x period + timeout + period   (detection)
//                            + terminationGracePeriodSeconds + restart_allowance   (the restart)
#include <algorithm>
#include <cstdio>

#include "engine/validate/validate.h"

namespace stampede {
namespace {

std::string probe_text(const ProbeSpec& p) {
  char buf[160];
  std::snprintf(buf, sizeof(buf), "%s, period %gs, timeout %gs, failureThreshold %d",
                p.handler.c_str(), p.period_seconds, p.timeout_seconds, p.failure_threshold);
  return buf;
}

// Whether the action deletes its pods, so that healing is a replacement pod becoming Ready (a
// kill is a delete with no grace period, as on Kubernetes).
bool replaces(ActionKind kind) {
  return kind == ActionKind::kPodKill || kind == ActionKind::kPodTerminate;
}

// The first restart of the action's pods in [from, to]: the platform's pod-restarted event, or
// else the first sample whose restart count grew (1 s resolution); for deleted pods, the Ready
// of the last replacement needed (replacements_ready). Empty kind: none.
PlatformEvent first_restart(const ValidationInput& in, const AppliedAction& a, double from,
                            double to) {
  if (replaces(a.kind)) {
    // Healed when every deleted pod has a replacement Ready: the last of them counts.
    std::vector<PlatformEvent> ready = replacements_ready(in, a);
    size_t needed = replacements_needed(a);
    if (ready.size() < needed || ready[needed - 1].t > to) return {};
    return ready[needed - 1];
  }
  for (const PlatformEvent& e : in.resilience.platform_events) {
    if (e.t < from || e.t > to) continue;
    // An empty pod list stands for every pod of the watched deployments.
    bool ours = a.pods.empty() ? std::find(a.deployments.begin(), a.deployments.end(),
                                           e.deployment) != a.deployments.end()
                               : std::find(a.pods.begin(), a.pods.end(), e.pod) != a.pods.end();
    if (ours && e.kind == "pod-restarted") return e;
  }
  int64_t before = -1;
  for (const PlatformSample& s : in.resilience.platform_samples) {
    if (std::find(a.deployments.begin(), a.deployments.end(), s.deployment) ==
        a.deployments.end()) {
      continue;
    }
    if (s.t <= from) before = s.restarts;
    if (s.t > from && s.t <= to + 1 && before >= 0 && s.restarts > before) {
      return PlatformEvent{s.t, "restart count grew", s.deployment, s.deployment,
                           std::to_string(before) + " -> " + std::to_string(s.restarts)};
    }
  }
  return {};
}

}  // namespace

ValidationResult check_self_healing(const Expectation& e, const ValidationInput& in) {
  ValidationResult r;
  const AppliedAction* applied = in.observations.action(e.after);
  if (applied == nullptr || applied->applied_at < 0) {
    r.summary = not_applied(in, e.after);
    return r;
  }
  // With a target to watch, the action's own pods do not matter: every pod of the target does.
  AppliedAction watched = *applied;
  if (!e.target.empty()) {
    watched.pods.clear();
    watched.deployments = {e.target};
  }
  const AppliedAction* a = &watched;
  std::string dname = a->deployments.empty() ? a->target : a->deployments.front();
  const DeploymentState* d = in.observations.deployment(dname);
  double allowance = static_cast<double>(e.restart_allowance) / kNanosPerSecond;
  std::string pods;
  for (const std::string& p : a->pods) pods += (pods.empty() ? "" : ", ") + p;
  if (pods.empty()) pods = "the pods of " + dname;
  std::string hit;
  for (const std::string& p : applied->pods) hit += (hit.empty() ? "" : ", ") + p;
  r.evidence.push_back(
      {"action", e.after + " on " + (hit.empty() ? applied->target : hit), a->applied_at});
  if (!e.target.empty()) r.evidence.push_back({"watching", pods, -1});
  std::optional<ProbeSpec> liveness = d != nullptr ? d->probes.liveness : std::nullopt;
  r.evidence.push_back({"liveness probe", liveness ? probe_text(*liveness) : "none", -1});

  if (!e.restart) {
    // Slow but healthy: nothing may be restarted while the action lasts, nor shortly after.
    // ... but a later action's doing is not this one's: the watch ends where the next begins.
    double until = (a->reverted_at >= 0 ? a->reverted_at : in.run_end) + allowance;
    for (const ChaosSpan& next : in.resilience.chaos_spans) {
      if (next.action_id != e.after && next.start > a->applied_at) {
        until = std::min(until, next.start);
      }
    }
    PlatformEvent restart = first_restart(in, *a, a->applied_at, until);
    if (!restart.kind.empty()) {
      r.evidence.push_back(
          {"unexpected restart", restart.pod + " (" + restart.kind + ")", restart.t});
      std::string why = e.target.empty() ? " although " + e.after + " only slowed it"
                                         : " while " + e.after +
                                               " was in effect, though only a dependency of it "
                                               "was down";
      r.summary = "pod " + restart.pod + " was restarted at " + seconds_text(restart.t) + why +
                  (liveness ? " (liveness: " + probe_text(*liveness) + ")" : std::string());
      return r;
    }
    r.passed = true;
    r.summary = "no pod was restarted during " + e.after + " (until " + seconds_text(until) + ")";
    return r;
  }

  double bound = allowance;
  std::string how = "restart allowance " + seconds_text(allowance);
  if (replaces(a->kind) && d != nullptr && d->probes.readiness) {
    const ProbeSpec& p = *d->probes.readiness;
    bound += p.initial_delay_seconds + p.period_seconds;
    how += " + readiness initialDelay + period";
  } else if (a->kind == ActionKind::kPodPause || a->kind == ActionKind::kFault) {
    if (!liveness) {
      r.summary = "deployment " + dname + " has no liveness probe: a hung pod is never restarted";
      PlatformEvent restart = first_restart(in, *a, a->applied_at, in.run_end);
      r.evidence.push_back({"restart observed",
                            restart.kind.empty() ? "none" : seconds_text(restart.t),
                            restart.kind.empty() ? -1 : restart.t});
      return r;
    }
    double detection = (liveness->failure_threshold - 1) * liveness->period_seconds +
                       liveness->timeout_seconds + liveness->period_seconds;
    double grace = d->termination_grace_period_seconds;
    bound = detection + grace + allowance;
    how = "detection " + seconds_text(detection) + " + grace " + seconds_text(grace) + " + " + how;
  }
  if (e.within >= 0) {
    bound = static_cast<double>(e.within) / kNanosPerSecond;
    how = "given by within";
  }
  r.evidence.push_back({"bound", seconds_text(bound) + " (" + how + ")", -1});
  PlatformEvent restart = first_restart(in, *a, a->applied_at, in.run_end);
  if (restart.kind.empty()) {
    if (replaces(a->kind)) {
      r.evidence.push_back({"replacement ready", "none before the run ended", -1});
      r.summary = "no replacement for " + pods + " was Ready after " + e.after + " (bound " +
                  seconds_text(bound) + ")";
      return r;
    }
    r.evidence.push_back({"restart observed", "none before the run ended", -1});
    r.summary = "no restart of " + pods + " was observed after " + e.after + " (bound " +
                seconds_text(bound) + ")";
    return r;
  }
  double took = restart.t - a->applied_at;
  if (replaces(a->kind)) {
    r.evidence.push_back(
        {"replacement ready", restart.pod + " after " + seconds_text(took), restart.t});
    r.passed = took <= bound + 1e-9;
    r.summary = r.passed
                    ? "replaced by " + restart.pod + ", Ready " + seconds_text(took) + " after " +
                          e.after + " (bound " + seconds_text(bound) + ")"
                    : "replacement " + restart.pod + " Ready only " + seconds_text(took) +
                          " after " + e.after + ", later than the bound " + seconds_text(bound);
    return r;
  }
  r.evidence.push_back(
      {"restart observed", restart.pod + " after " + seconds_text(took), restart.t});
  for (const PlatformEvent& ev : in.resilience.platform_events) {
    if (ev.t >= restart.t && ev.kind == "pod-ready" && ev.pod == restart.pod) {
      r.evidence.push_back(
          {"ready again", seconds_text(ev.t - a->applied_at) + " after the action", ev.t});
      break;
    }
  }
  r.passed = took <= bound + 1e-9;
  r.summary = r.passed ? restart.pod + " restarted " + seconds_text(took) + " after " + e.after +
                             " (bound " + seconds_text(bound) + ")"
                       : restart.pod + " restarted only " + seconds_text(took) + " after " +
                             e.after + ", later than the bound " + seconds_text(bound);
  return r;
}

}  // namespace stampede
