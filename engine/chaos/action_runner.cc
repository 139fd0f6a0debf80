#include "engine/chaos/action_runner.h"

#include <algorithm>

#include "engine/chaos/pod_selection.h"

namespace stampede {
namespace {

ChaosEvent event_of(const ChaosAction& a, double t, const char* phase) {
  ChaosEvent e;
  e.t = t;
  e.action_id = a.id;
  e.action = action_kind_name(a.kind);
  e.phase = phase;
  e.target = a.target;
  return e;
}

}  // namespace

ActionRunner::ActionRunner(Platform& platform, ChaosJournal& journal, uint64_t seed,
                           std::function<double()> now)
    : platform_(platform), journal_(journal), rng_(seed), now_(std::move(now)) {}

bool ActionRunner::has_applied(const std::string& action_id) const {
  auto it = applied_.find(action_id);
  return it != applied_.end() && !it->second.empty();
}

Status ActionRunner::journaled(const ChaosAction& action, const UndoStep& step,
                               const std::function<Status()>& act) {
  auto entry =
      journal_.intend(action.id, action_kind_name(action.kind), step, platform_.identity());
  if (!entry.ok()) return entry.error().with_context("not applied");
  // From here the step counts as applied: even a failed call may have acted on the platform,
  // and undo steps are harmless when there is nothing to undo.
  applied_[action.id].push_back(Applied{entry.value(), step});
  Status st = act();
  if (!st.ok()) return st;
  Status logged = journal_.applied(entry.value());
  (void)logged;  // the intend line already makes the step revertable
  return Status();
}

std::string ActionRunner::undo_all(const std::string& action_id) {
  auto it = applied_.find(action_id);
  if (it == applied_.end()) return "";
  std::string failures;
  std::vector<Applied> left;
  for (auto s = it->second.rbegin(); s != it->second.rend(); ++s) {
    Status st = run_undo(platform_, s->step);
    if (st.ok()) st = journal_.reverted(s->entry);
    if (!st.ok()) {
      failures += (failures.empty() ? "" : "; ") + s->step.describe() + ": " + st.error().message();
      left.insert(left.begin(), *s);
    }
  }
  it->second = std::move(left);
  return failures;
}

Status ActionRunner::apply_to_pods(const ChaosAction& a, AppliedAction& record,
                                   std::string& detail) {
  auto candidates = target_pods(platform_, a);
  if (!candidates.ok()) return candidates.error();
  if (candidates.value().empty()) return Error("no running pod matches '" + a.target + "'");
  record.pods = choose_pods(a, candidates.value(), rng_);
  for (const PodState& p : candidates.value()) {
    for (const std::string& hit : record.pods) {
      if (p.name == hit && std::find(record.deployments.begin(), record.deployments.end(),
                                     p.deployment) == record.deployments.end()) {
        record.deployments.push_back(p.deployment);
      }
    }
  }
  size_t by_mode = pods_by_mode(a, candidates.value().size());
  if (by_mode > record.pods.size()) {
    detail = "capped at max_pods " + std::to_string(a.max_pods) + " of " + std::to_string(by_mode);
  }
  for (const std::string& pod : record.pods) {
    Status st;
    switch (a.kind) {
      case ActionKind::kPodKill:
        st = platform_.kill_pod(pod);
        break;
      case ActionKind::kPodTerminate:
        st = platform_.terminate_pod(pod, a.grace_seconds);
        break;
      case ActionKind::kPodPause:
        st = journaled(a, UndoStep{UndoStep::Kind::kResumePod, pod, 0},
                       [&] { return platform_.pause_pod(pod); });
        break;
      case ActionKind::kFault:
        st = journaled(a, UndoStep{UndoStep::Kind::kClearPodFaults, pod, 0},
                       [&] { return platform_.set_pod_faults(pod, a.knobs); });
        break;
      default:
        st = Error("not an action on pods");
    }
    if (!st.ok()) return st;
  }
  if (a.kind == ActionKind::kFault) {
    detail = a.knobs.describe() + (detail.empty() ? "" : "; " + detail);
  }
  return Status();
}

Status ActionRunner::apply_to_deployment(const ChaosAction& a, AppliedAction& record,
                                         std::string& detail) {
  record.deployments = {a.target};
  if (a.kind == ActionKind::kProxyFault) {
    detail = a.network.describe();
    return journaled(a, UndoStep{UndoStep::Kind::kClearServiceFault, a.target, 0},
                     [&] { return platform_.set_service_fault(a.target, a.network); });
  }
  if (a.kind == ActionKind::kRolloutRestart) return platform_.rollout_restart(a.target);
  // scale and dependency-down: remember the count to restore.
  auto deployments = platform_.deployments();
  if (!deployments.ok()) return deployments.error();
  int before = -1;
  for (const DeploymentState& d : deployments.value()) {
    if (d.name == a.target) before = d.replicas;
  }
  if (before < 0) return Error("deployment '" + a.target + "' is gone");
  int to = a.kind == ActionKind::kScale ? a.replicas : 0;
  detail = "replicas " + std::to_string(before) + " -> " + std::to_string(to);
  return journaled(a, UndoStep{UndoStep::Kind::kScale, a.target, before},
                   [&] { return platform_.scale(a.target, to); });
}

void ActionRunner::apply(const ChaosAction& a, AppliedAction& record,
                         std::vector<ChaosEvent>& events) {
  record.id = a.id;
  record.kind = a.kind;
  record.target = a.target;
  record.requested_at = now_();
  events.push_back(event_of(a, record.requested_at, "requested"));
  std::string detail;
  Status st = targets_pods(a.kind) ? apply_to_pods(a, record, detail)
                                   : apply_to_deployment(a, record, detail);
  if (!st.ok()) {
    // Roll back whatever part of the action took effect before the failure.
    std::string undo_failures = undo_all(a.id);
    ChaosEvent e = event_of(a, now_(), "failed");
    e.pods = record.pods;
    e.detail =
        st.error().message() + (undo_failures.empty() ? "" : "; rollback failed: " + undo_failures);
    record.error = e.detail;
    events.push_back(std::move(e));
    return;
  }
  record.applied_at = now_();
  ChaosEvent e = event_of(a, record.applied_at, "applied");
  e.pods = record.pods;
  e.detail = detail;
  events.push_back(std::move(e));
}

void ActionRunner::revert(const ChaosAction& a, AppliedAction& record,
                          std::vector<ChaosEvent>& events) {
  if (!has_applied(a.id)) return;
  std::string failures = undo_all(a.id);
  ChaosEvent e = event_of(a, now_(), failures.empty() ? "reverted" : "failed");
  e.pods = record.pods;
  e.detail = failures.empty() ? std::string()
                              : "revert failed (still in the chaos journal; run `stampede chaos "
                                "revert`): " +
                                    failures;
  if (failures.empty()) record.reverted_at = e.t;
  events.push_back(std::move(e));
}

}  // namespace stampede
