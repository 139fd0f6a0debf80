#include "targets/local/runtime/hpa_runner.h"

#include "targets/local/runtime/clock.h"

namespace stampede::local {
namespace {

void apply_rules(const ScalingRulesValue& values, ScalingRules& rules) {
  if (values.stabilization_window_seconds) {
    rules.stabilization_window_seconds = *values.stabilization_window_seconds;
  }
  if (values.select_policy) {
    rules.select = *values.select_policy == "Min"        ? SelectPolicy::kMin
                   : *values.select_policy == "Disabled" ? SelectPolicy::kDisabled
                                                         : SelectPolicy::kMax;
  }
  if (values.policies) {
    rules.policies.clear();
    for (const ScalingPolicyValue& p : *values.policies) {
      ScalingPolicy policy;
      policy.type = p.pods ? ScalingPolicy::Type::kPods : ScalingPolicy::Type::kPercent;
      policy.value = p.value;
      policy.period_seconds = p.period_seconds;
      rules.policies.push_back(policy);
    }
  }
}

}  // namespace

void CpuSampler::sample(double now, const std::vector<std::unique_ptr<Deployment>>& deployments) {
  std::map<std::string, bool> seen;
  for (const auto& d : deployments) {
    for (const auto& pod : d->pods()) {
      if (pod->pid() <= 0) continue;
      seen[pod->name()] = true;
      auto [it, inserted] = meters_.try_emplace(pod->name());
      // A pid without /proc entry (just exited) records nothing; the next sample tells.
      (void)it->second.sample(now, {pod->pid()});
    }
  }
  for (auto it = meters_.begin(); it != meters_.end();) {
    it = seen.count(it->first) != 0 ? std::next(it) : meters_.erase(it);
  }
}

std::optional<CpuWindow> CpuSampler::usage(const std::string& pod) const {
  auto it = meters_.find(pod);
  if (it == meters_.end()) return std::nullopt;
  return it->second.average(window_);
}

Result<std::unique_ptr<HpaRunner>> HpaRunner::create(const DeploymentSpec& d) {
  const AutoscalingSpec& a = d.autoscaling;
  auto spec = default_hpa_spec(a.min_replicas, a.max_replicas, a.target_cpu_utilization);
  if (!spec.ok()) return spec.error().with_context("services." + d.name + ".autoscaling");
  apply_rules(a.scale_up, spec.value().scale_up);
  apply_rules(a.scale_down, spec.value().scale_down);
  return std::unique_ptr<HpaRunner>(new HpaRunner(std::move(spec).value()));
}

void HpaRunner::sync(double now, Deployment& deployment, const CpuSampler& cpu) {
  std::vector<PodCpu> pods;
  for (const auto& pod : deployment.pods()) {
    PodCpu p;
    p.name = pod->name();
    p.ready = pod->ready();
    p.deleting = pod->deleting();
    p.request_millicores = static_cast<double>(deployment.spec().cpu_request_millis);
    p.started_at = mono_seconds(pod->container_started_ns());
    p.ready_changed_at = mono_seconds(pod->ready_changed_ns() > 0 ? pod->ready_changed_ns()
                                                                  : pod->container_started_ns());
    p.pending = pod->pid() <= 0;
    if (auto u = cpu.usage(pod->name())) {
      p.cpu_millicores = u->millicores;
      p.metric_window_start = u->start;
    }
    pods.push_back(p);
  }
  HpaDecision decision = controller_.sync(now, deployment.replicas(), pods);
  last_ = decision;
  ++syncs_;
  if (decision.desired_replicas != deployment.replicas()) {
    (void)deployment.scale(decision.desired_replicas, true, decision.reason);
    last_scale_ns_ = mono_now_ns();
  }
}

}  // namespace stampede::local
