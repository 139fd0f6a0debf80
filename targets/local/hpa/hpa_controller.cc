// The reconcile of kube-controller-manager's HorizontalController (reconcileAutoscaler,
// normalizeDesiredReplicas[WithBehaviors]) for a single CPU-utilisation metric.
#include "targets/local/hpa/hpa_controller.h"

#include <string>
#include <utility>

#include "targets/local/hpa/rate_limits.h"
#include "targets/local/hpa/replica_calculator.h"

namespace stampede::local {
namespace {

std::string str(int v) {
  return std::to_string(v);
}

std::string change(int from, int to) {
  return from == to ? "keeping " + str(from) : str(from) + " -> " + str(to);
}

// "cpu 160% of 80% target", with the pods that were not measured when there are any.
std::string usage_summary(const HpaSpec& spec, const CpuReplicaCount& c) {
  std::string s =
      "cpu " + str(c.utilization) + "% of " + str(spec.target_cpu_utilization) + "% target";
  if (c.unready_pods > 0 || c.missing_pods > 0) {
    s += " (" + str(c.ready_pods) + " ready pods measured";
    if (c.unready_pods > 0) s += ", " + str(c.unready_pods) + " unready or initialising";
    if (c.missing_pods > 0) s += ", " + str(c.missing_pods) + " without metrics";
    s += ")";
  }
  return s;
}

std::string stabilization_note(const HpaSpec& spec, const HpaDecision& d, int stabilized) {
  std::string window;
  if (!spec.has_behavior) {
    window =
        "the downscale stabilization window (" + str(spec.downscale_stabilization_seconds) + " s)";
  } else if (d.recommended_replicas < d.current_replicas) {
    window = "the scaleDown stabilization window (" +
             str(spec.scale_down.stabilization_window_seconds) + " s)";
  } else {
    window = "the scaleUp stabilization window (" +
             str(spec.scale_up.stabilization_window_seconds) + " s)";
  }
  return "held at " + str(stabilized) + " by " + window;
}

std::string limit_note(const HpaSpec& spec, const HpaDecision& d) {
  const std::string n = str(d.desired_replicas);
  if (d.limit_reason == "TooManyReplicas") return "capped at maxReplicas " + n;
  if (d.limit_reason == "TooFewReplicas") return "raised to minReplicas " + n;
  if (d.limit_reason == "ScaleUpLimit") {
    return spec.has_behavior ? "limited to " + n + " by the scaleUp policies"
                             : "limited to " + n + " by the scale-up limit max(2 × current, 4)";
  }
  if (d.limit_reason == "ScaleDownLimit") return "limited to " + n + " by the scaleDown policies";
  return "";
}

}  // namespace

HpaController::HpaController(HpaSpec spec)
    : spec_(std::move(spec)), spec_status_(validate_hpa_spec(spec_)) {}

HpaDecision HpaController::sync(double now, int current_replicas, const std::vector<PodCpu>& pods) {
  HpaDecision d;
  d.current_replicas = current_replicas;
  d.desired_replicas = current_replicas;
  d.recommended_replicas = current_replicas;
  if (!spec_status_.ok()) {
    d.able_to_scale = false;
    d.reason = "invalid autoscaling spec: " + spec_status_.error().message();
    return d;
  }
  recommendations_.record_initial(now, current_replicas);

  if (current_replicas == 0) {
    // minReplicas is at least 1, so a deployment scaled to 0 by hand is left alone.
    d.able_to_scale = false;
    d.reason = "scaling is disabled while the deployment is scaled to 0";
    return d;
  }
  if (current_replicas > spec_.max_replicas) {
    d.desired_replicas = d.recommended_replicas = spec_.max_replicas;
    d.reason = "replicas above maxReplicas " + str(spec_.max_replicas) + ": " +
               change(current_replicas, d.desired_replicas);
  } else if (current_replicas < spec_.min_replicas) {
    d.desired_replicas = d.recommended_replicas = spec_.min_replicas;
    d.reason = "replicas below minReplicas " + str(spec_.min_replicas) + ": " +
               change(current_replicas, d.desired_replicas);
  } else {
    Result<CpuReplicaCount> count = calculate_cpu_replicas(spec_, now, current_replicas, pods);
    if (!count.ok()) {
      d.able_to_scale = false;
      d.reason = "unable to compute the replica count: " + count.error().message();
      return d;
    }
    const CpuReplicaCount& c = count.value();
    d.recommended_replicas = c.replicas;
    d.utilization = c.utilization;
    d.ready_pods = c.ready_pods;
    d.unready_pods = c.unready_pods;
    d.missing_pods = c.missing_pods;
    d.ignored_pods = c.ignored_pods;
    const int stabilized = normalize(now, d);

    std::string notes;
    const auto add = [&](const std::string& note) {
      if (!note.empty()) notes += (notes.empty() ? "" : ", ") + note;
    };
    if (d.recommended_replicas == current_replicas && !c.kept_because.empty()) {
      add(c.kept_because);
    } else if (d.recommended_replicas != d.desired_replicas) {
      add("recommends " + str(d.recommended_replicas));
    }
    if (d.stabilized) add(stabilization_note(spec_, d, stabilized));
    add(limit_note(spec_, d));
    d.reason = usage_summary(spec_, c) + ": " + (notes.empty() ? "" : notes + ": ") +
               change(current_replicas, d.desired_replicas);
  }

  if (d.desired_replicas != current_replicas && spec_.has_behavior) {
    const ScalingRules& rules =
        d.desired_replicas > current_replicas ? spec_.scale_up : spec_.scale_down;
    scale_events_.store(now, rules, current_replicas, d.desired_replicas);
  }
  return d;
}

int HpaController::normalize(double now, HpaDecision& d) {
  int stabilized;
  LimitedReplicas limited;
  if (spec_.has_behavior) {
    stabilized = recommendations_.stabilize(now, d.current_replicas, d.recommended_replicas,
                                            spec_.scale_up.stabilization_window_seconds,
                                            spec_.scale_down.stabilization_window_seconds);
    limited = limit_with_behavior(now, d.current_replicas, stabilized, spec_, scale_events_);
  } else {
    stabilized = recommendations_.stabilize_scale_down(now, d.recommended_replicas,
                                                       spec_.downscale_stabilization_seconds);
    limited = limit_without_behavior(d.current_replicas, stabilized, spec_.min_replicas,
                                     spec_.max_replicas);
  }
  d.stabilized = stabilized != d.recommended_replicas;
  d.desired_replicas = limited.replicas;
  d.limit_reason = limited.reason;
  return stabilized;
}

}  // namespace stampede::local
