#include "targets/local/api/kube/render_hpa.h"

#include <cmath>

namespace stampede::local::kube {

using nlohmann::json;

json scaling_rules_object(const ScalingRules& rules) {
  json policies = json::array();
  for (const ScalingPolicy& p : rules.policies) {
    policies.push_back({{"type", p.type == ScalingPolicy::Type::kPods ? "Pods" : "Percent"},
                        {"value", p.value},
                        {"periodSeconds", p.period_seconds}});
  }
  const char* select = rules.select == SelectPolicy::kMin        ? "Min"
                       : rules.select == SelectPolicy::kDisabled ? "Disabled"
                                                                 : "Max";
  return {{"stabilizationWindowSeconds", rules.stabilization_window_seconds},
          {"selectPolicy", select},
          {"policies", policies}};
}

json HpaRenderer::conditions(const RenderContext& ctx, const std::string& name,
                             const HpaDecision& last, int64_t now_ns) {
  auto make = [&](const char* type, bool status, const std::string& reason,
                  const std::string& message) {
    int64_t since = clock_.since(name + "/" + type, status ? "True" : "False", now_ns);
    return json{{"type", type},
                {"status", status ? "True" : "False"},
                {"reason", reason},
                {"message", message},
                {"lastTransitionTime", ctx.time(since)}};
  };
  json out = json::array();
  // AbleToScale: what the last sync did with the target's scale.
  if (last.desired_replicas != last.current_replicas) {
    out.push_back(make("AbleToScale", true, "SucceededRescale",
                       "the HPA controller was able to update the target scale to " +
                           std::to_string(last.desired_replicas)));
  } else if (last.stabilized && last.recommended_replicas < last.desired_replicas) {
    out.push_back(make("AbleToScale", true, "ScaleDownStabilized",
                       "recent recommendations were higher than current one, applying the "
                       "highest recent recommendation"));
  } else if (last.stabilized && last.recommended_replicas > last.desired_replicas) {
    out.push_back(make("AbleToScale", true, "ScaleUpStabilized",
                       "recent recommendations were lower than current one, applying the lowest "
                       "recent recommendation"));
  } else {
    out.push_back(
        make("AbleToScale", true, "ReadyForNewScale", "recommended size matches current size"));
  }
  // ScalingActive: whether a replica count could be computed from the metric.
  if (last.current_replicas == 0) {
    out.push_back(make("ScalingActive", false, "ScalingDisabled",
                       "scaling is disabled since the replica count of the target is zero"));
  } else if (!last.able_to_scale) {
    out.push_back(make("ScalingActive", false, "FailedGetResourceMetric",
                       "the HPA was unable to compute the replica count: " + last.reason));
  } else {
    out.push_back(make("ScalingActive", true, "ValidMetricFound",
                       "the HPA was able to successfully calculate a replica count from cpu "
                       "resource utilization (percentage of request)"));
  }
  // ScalingLimited: whether min/max or the behavior's rate held the count back.
  const std::string& limit = last.limit_reason;
  if (limit == "TooManyReplicas") {
    out.push_back(make("ScalingLimited", true, limit,
                       "the desired replica count is more than the maximum replica count"));
  } else if (limit == "TooFewReplicas") {
    out.push_back(make("ScalingLimited", true, limit,
                       "the desired replica count is less than the minimum replica count"));
  } else if (limit == "ScaleUpLimit") {
    out.push_back(make("ScalingLimited", true, limit,
                       "the desired replica count is increasing faster than the maximum scale "
                       "rate"));
  } else if (limit == "ScaleDownLimit") {
    out.push_back(make("ScalingLimited", true, limit,
                       "the desired replica count is decreasing faster than the maximum scale "
                       "rate"));
  } else if (!limit.empty()) {
    out.push_back(make("ScalingLimited", false, "DesiredWithinRange",
                       "the desired count is within the acceptable range"));
  }
  return out;
}

json HpaRenderer::render(const RenderContext& ctx, const Runtime& rt, const Deployment& d,
                         int64_t now_ns) {
  const HpaRunner* hpa = rt.hpa(d.name());
  if (hpa == nullptr) return nullptr;
  const HpaSpec& spec = hpa->spec();
  json meta = ctx.metadata("HorizontalPodAutoscaler", d.name(), ctx.started_ns);
  meta["labels"] = {{"app", d.name()}, {"app.kubernetes.io/component", d.name()}};
  json hspec = {
      {"scaleTargetRef", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", d.name()}}},
      {"minReplicas", spec.min_replicas},
      {"maxReplicas", spec.max_replicas},
      {"metrics", json::array({{{"type", "Resource"},
                                {"resource",
                                 {{"name", "cpu"},
                                  {"target",
                                   {{"type", "Utilization"},
                                    {"averageUtilization", spec.target_cpu_utilization}}}}}}})}};
  if (spec.has_behavior) {
    hspec["behavior"] = {{"scaleUp", scaling_rules_object(spec.scale_up)},
                         {"scaleDown", scaling_rules_object(spec.scale_down)}};
  }
  json status = {{"currentReplicas", d.replicas()}, {"desiredReplicas", d.replicas()}};
  if (auto at = hpa->last_scale_ns()) status["lastScaleTime"] = ctx.time(*at);
  if (const auto& last = hpa->last()) {
    status["currentReplicas"] = last->current_replicas;
    status["desiredReplicas"] = last->desired_replicas;
    if (last->utilization >= 0) {
      double millicores =
          last->utilization * static_cast<double>(d.spec().cpu_request_millis) / 100;
      status["currentMetrics"] =
          json::array({{{"type", "Resource"},
                        {"resource",
                         {{"name", "cpu"},
                          {"current",
                           {{"averageUtilization", static_cast<int>(last->utilization)},
                            {"averageValue", std::to_string(std::llround(millicores)) + "m"}}}}}}});
    }
    status["conditions"] = conditions(ctx, d.name(), *last, now_ns);
  }
  return {{"kind", "HorizontalPodAutoscaler"},
          {"apiVersion", "autoscaling/v2"},
          {"metadata", meta},
          {"spec", hspec},
          {"status", status}};
}

}  // namespace stampede::local::kube
