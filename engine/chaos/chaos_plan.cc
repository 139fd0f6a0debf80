#include "engine/chaos/chaos_plan.h"

#include <array>
#include <utility>

namespace stampede {
namespace {

constexpr std::array<std::pair<ActionKind, const char*>, 8> kActions = {{
    {ActionKind::kPodKill, "pod-kill"},
    {ActionKind::kPodTerminate, "pod-terminate"},
    {ActionKind::kPodPause, "pod-pause"},
    {ActionKind::kScale, "scale"},
    {ActionKind::kRolloutRestart, "rollout-restart"},
    {ActionKind::kFault, "fault"},
    {ActionKind::kProxyFault, "proxy-fault"},
    {ActionKind::kDependencyDown, "dependency-down"},
}};

constexpr std::array<std::pair<ExpectKind, const char*>, 6> kExpects = {{
    {ExpectKind::kAvailability, "availability"},
    {ExpectKind::kRecovery, "recovery"},
    {ExpectKind::kAutoscaling, "autoscaling"},
    {ExpectKind::kSelfHealing, "self-healing"},
    {ExpectKind::kZeroDowntime, "zero-downtime"},
    {ExpectKind::kCircuitBreaker, "circuit-breaker"},
}};

}  // namespace

const char* action_kind_name(ActionKind kind) {
  for (const auto& [k, name] : kActions) {
    if (k == kind) return name;
  }
  return "?";
}

std::optional<ActionKind> action_kind_from(std::string_view name) {
  for (const auto& [k, n] : kActions) {
    if (name == n) return k;
  }
  return std::nullopt;
}

bool targets_pods(ActionKind kind) {
  return kind == ActionKind::kPodKill || kind == ActionKind::kPodTerminate ||
         kind == ActionKind::kPodPause || kind == ActionKind::kFault;
}

bool is_reversible(ActionKind kind) {
  return kind == ActionKind::kPodPause || kind == ActionKind::kScale ||
         kind == ActionKind::kFault || kind == ActionKind::kProxyFault ||
         kind == ActionKind::kDependencyDown;
}

const char* pod_mode_name(PodMode mode) {
  switch (mode) {
    case PodMode::kOne:
      return "one";
    case PodMode::kAll:
      return "all";
    case PodMode::kFixed:
      return "fixed";
    case PodMode::kPercent:
      return "percent";
  }
  return "?";
}

Nanos ChaosAction::end() const {
  if (duration >= 0) return at + duration;
  return is_reversible(kind) ? -1 : at;
}

const char* expect_kind_name(ExpectKind kind) {
  for (const auto& [k, name] : kExpects) {
    if (k == kind) return name;
  }
  return "?";
}

std::optional<ExpectKind> expect_kind_from(std::string_view name) {
  for (const auto& [k, n] : kExpects) {
    if (name == n) return k;
  }
  return std::nullopt;
}

bool ChaosPlan::needs_platform() const {
  if (!actions.empty()) return true;
  for (const Expectation& e : expectations) {
    if (e.kind != ExpectKind::kAvailability) return true;
  }
  return false;
}

const ChaosAction* ChaosPlan::action(const std::string& id) const {
  for (const ChaosAction& a : actions) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

}  // namespace stampede
