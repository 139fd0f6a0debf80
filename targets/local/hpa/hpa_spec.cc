// Defaults and validation of HpaSpec, after Kubernetes' autoscaling/v2 defaulting
// (GenerateHPAScaleUpRules / GenerateHPAScaleDownRules) and the API server's HPA validation.
#include <cstdio>
#include <string>

#include "targets/local/hpa/hpa_types.h"

namespace stampede::local {
namespace {

// Kubernetes' limits (pkg/apis/autoscaling/validation).
constexpr int kMaxStabilizationWindowSeconds = 3600;
constexpr int kMaxPeriodSeconds = 1800;

std::string got(int v) {
  return " (got " + std::to_string(v) + ")";
}
std::string got(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, " (got %g)", v);
  return buf;
}

Status validate_rules(const ScalingRules& rules, const std::string& path) {
  if (rules.stabilization_window_seconds < 0 ||
      rules.stabilization_window_seconds > kMaxStabilizationWindowSeconds) {
    return Error(path + ".stabilizationWindowSeconds: must be between 0 and " +
                 std::to_string(kMaxStabilizationWindowSeconds) +
                 got(rules.stabilization_window_seconds));
  }
  if (rules.policies.empty()) {
    return Error(path + ".policies: must specify at least one policy");
  }
  for (size_t i = 0; i < rules.policies.size(); ++i) {
    const ScalingPolicy& p = rules.policies[i];
    const std::string at = path + ".policies[" + std::to_string(i) + "]";
    if (p.value <= 0) return Error(at + ".value: must be greater than 0" + got(p.value));
    if (p.period_seconds <= 0 || p.period_seconds > kMaxPeriodSeconds) {
      return Error(at + ".periodSeconds: must be between 1 and " +
                   std::to_string(kMaxPeriodSeconds) + got(p.period_seconds));
    }
  }
  return Status::Ok();
}

}  // namespace

ScalingRules default_scale_up_rules() {
  ScalingRules r;
  r.stabilization_window_seconds = 0;
  r.select = SelectPolicy::kMax;
  r.policies = {{ScalingPolicy::Type::kPods, 4, 15}, {ScalingPolicy::Type::kPercent, 100, 15}};
  return r;
}

ScalingRules default_scale_down_rules(int stabilization_window_seconds) {
  ScalingRules r;
  r.stabilization_window_seconds = stabilization_window_seconds;
  r.select = SelectPolicy::kMax;
  r.policies = {{ScalingPolicy::Type::kPercent, 100, 15}};
  return r;
}

Result<HpaSpec> default_hpa_spec(int min_replicas, int max_replicas, int target_cpu_utilization) {
  HpaSpec spec;
  spec.min_replicas = min_replicas;
  spec.max_replicas = max_replicas;
  spec.target_cpu_utilization = target_cpu_utilization;
  spec.scale_up = default_scale_up_rules();
  spec.scale_down = default_scale_down_rules(spec.downscale_stabilization_seconds);
  Status s = validate_hpa_spec(spec);
  if (!s.ok()) return s.error();
  return spec;
}

Status validate_hpa_spec(const HpaSpec& spec) {
  if (spec.min_replicas < 1)
    return Error("minReplicas: must be at least 1" + got(spec.min_replicas));
  if (spec.max_replicas < spec.min_replicas) {
    return Error("maxReplicas: must be at least minReplicas (" + std::to_string(spec.min_replicas) +
                 ")" + got(spec.max_replicas));
  }
  if (spec.target_cpu_utilization <= 0) {
    return Error("targetCPUUtilizationPercentage: must be greater than 0" +
                 got(spec.target_cpu_utilization));
  }
  if (spec.has_behavior) {
    Status up = validate_rules(spec.scale_up, "behavior.scaleUp");
    if (!up.ok()) return up;
    Status down = validate_rules(spec.scale_down, "behavior.scaleDown");
    if (!down.ok()) return down;
  }
  if (!(spec.tolerance >= 0 && spec.tolerance < 1)) {
    return Error("tolerance: must be at least 0 and below 1" + got(spec.tolerance));
  }
  if (!(spec.cpu_initialization_period_seconds >= 0)) {
    return Error("cpu initialization period: must not be negative" +
                 got(spec.cpu_initialization_period_seconds));
  }
  if (!(spec.initial_readiness_delay_seconds >= 0)) {
    return Error("initial readiness delay: must not be negative" +
                 got(spec.initial_readiness_delay_seconds));
  }
  if (spec.downscale_stabilization_seconds < 0) {
    return Error("downscale stabilization: must not be negative" +
                 got(spec.downscale_stabilization_seconds));
  }
  return Status::Ok();
}

}  // namespace stampede::local
