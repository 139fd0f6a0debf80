#include "engine/validate/validation_input.h"

#include <algorithm>
#include <cstdio>

namespace stampede {
namespace {

bool hit_pod(const AppliedAction& a, const std::string& pod) {
  return std::find(a.pods.begin(), a.pods.end(), pod) != a.pods.end();
}

bool hit_deployment(const AppliedAction& a, const std::string& deployment) {
  return std::find(a.deployments.begin(), a.deployments.end(), deployment) != a.deployments.end();
}

// When the platform reported all the pods of an instant action ready again (-1: not seen): as
// many replacements Ready as pods were deleted (killed or terminated), or the rollout finished.
double ready_again(const ValidationInput& in, const AppliedAction& a) {
  if (a.kind == ActionKind::kRolloutRestart) {
    for (const PlatformEvent& e : in.resilience.platform_events) {
      if (e.t >= a.applied_at && e.kind == "rollout-finished" && e.deployment == a.target) {
        return e.t;
      }
    }
    return -1;
  }
  std::vector<PlatformEvent> ready = replacements_ready(in, a);
  size_t needed = replacements_needed(a);
  return ready.size() >= needed ? ready[needed - 1].t : -1;
}

}  // namespace

std::vector<PlatformEvent> replacements_ready(const ValidationInput& in, const AppliedAction& a) {
  double since = a.requested_at >= 0 ? a.requested_at : a.applied_at;
  std::vector<std::string> created;  // new pods of the action's deployments
  std::vector<std::string> seen;
  std::vector<PlatformEvent> out;
  for (const PlatformEvent& e : in.resilience.platform_events) {
    if (e.t < since || !hit_deployment(a, e.deployment) || hit_pod(a, e.pod)) continue;
    if (e.kind == "pod-created") created.push_back(e.pod);
    if (e.kind != "pod-ready") continue;
    if (std::find(created.begin(), created.end(), e.pod) == created.end()) continue;
    if (std::find(seen.begin(), seen.end(), e.pod) != seen.end()) continue;
    seen.push_back(e.pod);
    out.push_back(e);
  }
  return out;
}

size_t replacements_needed(const AppliedAction& a) {
  return std::max<size_t>(1, a.pods.size());
}

const ChaosSpan* span_of(const ValidationInput& in, const std::string& id) {
  for (const ChaosSpan& s : in.resilience.chaos_spans) {
    if (s.action_id == id) return &s;
  }
  return nullptr;
}

Window during_window(const ValidationInput& in, const std::string& id, double cap) {
  const ChaosSpan* span = span_of(in, id);
  const AppliedAction* a = in.observations.action(id);
  if (span == nullptr || a == nullptr) return Window{-1, -1, "never applied"};
  Window w{span->start, span->end, "reverted"};
  if (is_reversible(a->kind)) {
    if (w.end < 0) w = Window{span->start, in.run_end, "still applied at the end of the run"};
    return w;
  }
  double ready = ready_again(in, *a);
  if (ready >= 0 && ready - span->start <= cap) {
    return Window{span->start, ready,
                  a->kind == ActionKind::kRolloutRestart ? "rollout finished" : "pods ready again"};
  }
  double end = std::min(in.run_end, span->start + cap);
  return Window{span->start, end,
                ready < 0 ? "not ready again before the window's end" : "window's end"};
}

Window after_window(const ValidationInput& in, const std::string& id, double length) {
  Window during = during_window(in, id, length);
  if (during.start < 0) return during;
  double end = std::min(in.run_end, during.end + length);
  for (const ChaosSpan& s : in.resilience.chaos_spans) {
    if (s.action_id != id && s.start > during.end) end = std::min(end, s.start);
  }
  return Window{during.end, end, "after " + during.how};
}

Window baseline_window(const ValidationInput& in) {
  double end = in.run_end;
  for (const ChaosSpan& s : in.resilience.chaos_spans) end = std::min(end, s.start);
  return Window{0, end, "until the first action"};
}

std::string not_applied(const ValidationInput& in, const std::string& id) {
  const AppliedAction* a = in.observations.action(id);
  std::string why = a != nullptr && !a->error.empty() ? a->error : "the run ended before it";
  return "action " + id + " was never applied: " + why;
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f s", s);
  return buf;
}

std::string ratio_text(double r) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4f", r);
  return buf;
}

}  // namespace stampede
