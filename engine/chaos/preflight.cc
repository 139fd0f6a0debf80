#include "engine/chaos/preflight.h"

#include <algorithm>
#include <optional>
#include <set>

#include "engine/chaos/pod_selection.h"
#include "engine/core/duration.h"

namespace stampede {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

const DeploymentState* find(const std::vector<DeploymentState>& list, const std::string& name) {
  for (const DeploymentState& d : list) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string deployment_names(const std::vector<DeploymentState>& list) {
  std::vector<std::string> names;
  for (const DeploymentState& d : list) names.push_back(d.name);
  return names.empty() ? "none" : join(names);
}

std::string window(const ChaosAction& a) {
  Nanos end = a.end();
  return format_duration(a.at) + "-" + (end < 0 ? std::string("end") : format_duration(end));
}

std::string effect_of(const ChaosAction& a, const DeploymentState* d) {
  std::string until =
      a.duration > 0 ? " for " + format_duration(a.duration) : std::string(" until the run ends");
  switch (a.kind) {
    case ActionKind::kPodKill:
      return "kill (delete, grace period 0)";
    case ActionKind::kPodTerminate:
      return "terminate (graceful delete)";
    case ActionKind::kPodPause:
      return "pause" + until;
    case ActionKind::kScale:
      return "scale " + std::to_string(d ? d->replicas : 0) + " -> " + std::to_string(a.replicas) +
             until;
    case ActionKind::kRolloutRestart:
      return "rollout restart";
    case ActionKind::kFault:
      return "fault " + a.knobs.describe() + until;
    case ActionKind::kProxyFault:
      return "proxy fault " + a.network.describe() + until;
    case ActionKind::kDependencyDown:
      return "scale " + std::to_string(d ? d->replicas : 0) + " -> 0" + until;
  }
  return "";
}

// Checks one action against the platform and previews what it would hit.
Result<ActionPreview> preview(Platform& platform, const ChaosAction& a,
                              const std::vector<DeploymentState>& deployments) {
  ActionPreview p;
  p.action_id = a.id;
  std::string where = a.path + ".target";
  if (a.kind == ActionKind::kProxyFault) {
    auto it = std::find_if(deployments.begin(), deployments.end(),
                           [&](const DeploymentState& d) { return d.service == a.target; });
    if (it == deployments.end()) {
      std::vector<std::string> services;
      for (const DeploymentState& d : deployments) {
        if (!d.service.empty()) services.push_back(d.service);
      }
      return Error(where + ": no Service '" + a.target +
                   "' (Services: " + (services.empty() ? "none" : join(services)) + ")");
    }
    p.deployments = {"service:" + a.target};
    p.effect = effect_of(a, &*it);
    return p;
  }
  if (!a.selector) {
    const DeploymentState* d = find(deployments, a.target);
    if (d == nullptr) {
      return Error(where + ": unknown deployment '" + a.target +
                   "' (deployments: " + deployment_names(deployments) + ")");
    }
    p.effect = effect_of(a, d);
    if (!targets_pods(a.kind)) {
      p.deployments = {d->name};
      return p;
    }
  }
  auto pods = target_pods(platform, a);
  if (!pods.ok()) return pods.error().with_context(where);
  if (pods.value().empty()) {
    return Error(where + ": " +
                 (a.selector ? "selector '" + a.target + "' matches no pod"
                             : "deployment '" + a.target + "' has no running pod"));
  }
  std::set<std::string> owners;
  for (const PodState& pod : pods.value()) {
    p.candidates.push_back(pod.name);
    owners.insert(pod.deployment);
  }
  p.deployments.assign(owners.begin(), owners.end());
  if (a.selector) p.effect = effect_of(a, nullptr);
  if (a.kind == ActionKind::kFault) {
    // Reading the knobs proves they can be set: token, admin port and route to the pod.
    Status reachable = platform.check_pod_faults(p.candidates.front());
    if (!reachable.ok()) {
      return Error(a.path + ": " + a.id + ": the fault knobs of " + p.candidates.front() +
                   " cannot be reached: " + reachable.error().message());
    }
  }
  if (a.mode == PodMode::kFixed && static_cast<size_t>(a.count) > p.candidates.size()) {
    return Error(a.path + ".count: " + std::to_string(a.count) + " pods asked for but only " +
                 std::to_string(p.candidates.size()) + " match '" + a.target + "'");
  }
  size_t by_mode = pods_by_mode(a, p.candidates.size());
  if (by_mode > static_cast<size_t>(a.max_pods)) {
    return Error(a.path + ": would hit " + std::to_string(by_mode) + " pods, more than max_pods (" +
                 std::to_string(a.max_pods) + "); raise max_pods or narrow the target");
  }
  p.would_hit = by_mode;
  return p;
}

bool overlaps(const ChaosAction& a, const ChaosAction& b) {
  constexpr Nanos kForever = INT64_MAX;
  Nanos a_end = a.end() < 0 ? kForever : a.end();
  Nanos b_end = b.end() < 0 ? kForever : b.end();
  return a.at <= b_end && b.at <= a_end;
}

// What the action needs that only some platforms can do; nullopt for nothing special.
std::optional<Capability> needs(ActionKind kind) {
  switch (kind) {
    case ActionKind::kPodPause:
      return Capability::kPausePod;
    case ActionKind::kProxyFault:
      return Capability::kServiceFault;
    case ActionKind::kFault:
      return Capability::kPodFaults;
    default:
      return std::nullopt;
  }
}

}  // namespace

Result<PreflightReport> preflight(Platform& platform, const ChaosPlan& plan) {
  PreflightReport report;
  report.platform = platform.describe();
  Status up = platform.ping();
  if (!up.ok()) {
    return Error("chaos: the platform is not reachable (" + report.platform +
                 "): " + up.error().message());
  }
  // Refused before anything else: nothing is half-done on a platform that cannot do it.
  for (const ChaosAction& a : plan.actions) {
    auto capability = needs(a.kind);
    if (!capability) continue;
    std::string why = platform.cannot(*capability);
    if (!why.empty()) {
      return Error(a.path + ": " + a.id + " cannot run on " + report.platform + ": " + why);
    }
  }
  auto deployments = platform.deployments();
  if (!deployments.ok()) return deployments.error().with_context("chaos: " + report.platform);
  report.deployments = deployments.value();

  for (const ChaosAction& a : plan.actions) {
    auto p = preview(platform, a, report.deployments);
    if (!p.ok()) return p.error();
    report.actions.push_back(std::move(p).value());
  }
  // One deployment (or Service) must not take two actions at overlapping times.
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      const ChaosAction& a = plan.actions[i];
      const ChaosAction& b = plan.actions[j];
      if (!overlaps(a, b)) continue;
      for (const std::string& r : report.actions[i].deployments) {
        const auto& other = report.actions[j].deployments;
        if (std::find(other.begin(), other.end(), r) == other.end()) continue;
        return Error(a.path + ": overlaps " + b.id + " on " +
                     (r.rfind("service:", 0) == 0 ? "Service '" + r.substr(8) + "'"
                                                  : "deployment '" + r + "'") +
                     " (" + window(a) + " and " + window(b) +
                     "); a pod takes one action at a time: move one or narrow its target");
      }
    }
  }
  for (const Expectation& e : plan.expectations) {
    if (e.kind == ExpectKind::kAutoscaling) {
      const DeploymentState* d = find(report.deployments, e.target);
      if (d == nullptr) {
        return Error(e.path + ".target: unknown deployment '" + e.target +
                     "' (deployments: " + deployment_names(report.deployments) + ")");
      }
      if (!d->hpa) {
        return Error(e.path + ".target: deployment '" + e.target +
                     "' has no HPA (autoscaling.enabled is false in its values)");
      }
    }
    if (e.kind == ExpectKind::kCircuitBreaker && find(report.deployments, e.caller) == nullptr) {
      return Error(e.path + ".caller: unknown deployment '" + e.caller +
                   "' (deployments: " + deployment_names(report.deployments) + ")");
    }
  }
  return report;
}

}  // namespace stampede
