#include "targets/local/hpa/replica_calculator.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace stampede::local {
namespace {

struct Ratio {
  double ratio = 0;
  int utilization = 0;
  int64_t average = 0;
};

// GetResourceUtilizationRatio: whole-percent utilisation over the pods in `usage`.
// Pods are keyed by their index in the list the controller was given.
Ratio utilization_ratio(const std::map<size_t, int64_t>& usage,
                        const std::vector<int64_t>& requests, int target) {
  int64_t usage_total = 0, request_total = 0, n = 0;
  for (const auto& [pod, value] : usage) {
    usage_total += value;
    request_total += requests[pod];
    ++n;
  }
  Ratio r;
  if (request_total <= 0 || n == 0) return r;
  r.utilization = static_cast<int>((usage_total * 100) / request_total);
  r.ratio = static_cast<double>(r.utilization) / static_cast<double>(target);
  r.average = usage_total / n;
  return r;
}

int ceil_replicas(double ratio, size_t pods) {
  const double v = std::ceil(ratio * static_cast<double>(pods));
  return v >= 2147483647.0 ? 2147483647 : static_cast<int>(v);
}

}  // namespace

PodCpuGroup classify_pod_cpu(const HpaSpec& spec, double now, const PodCpu& pod) {
  if (pod.deleting) return PodCpuGroup::kIgnored;
  if (pod.pending) return PodCpuGroup::kUnready;
  if (pod.cpu_millicores < 0) return PodCpuGroup::kMissing;
  bool unready;
  if (pod.started_at + spec.cpu_initialization_period_seconds > now) {
    // Still initialising: the sample only counts if the pod is ready and a whole metric window
    // was collected since it last changed readiness.
    unready = !pod.ready || pod.metric_window_start < pod.ready_changed_at;
  } else {
    // Past initialisation: ignore an unready pod only if it has never been ready.
    unready =
        !pod.ready && pod.started_at + spec.initial_readiness_delay_seconds > pod.ready_changed_at;
  }
  return unready ? PodCpuGroup::kUnready : PodCpuGroup::kMeasured;
}

Result<CpuReplicaCount> calculate_cpu_replicas(const HpaSpec& spec, double now,
                                               int current_replicas,
                                               const std::vector<PodCpu>& pods) {
  if (pods.empty()) return Error("no pods to measure");
  if (spec.target_cpu_utilization <= 0) return Error("the target CPU utilization is not positive");

  CpuReplicaCount out;
  std::map<size_t, int64_t> usage;
  std::vector<size_t> unready, missing;
  for (size_t i = 0; i < pods.size(); ++i) {
    const PodCpu& pod = pods[i];
    switch (classify_pod_cpu(spec, now, pod)) {
      case PodCpuGroup::kIgnored:
        ++out.ignored_pods;
        break;
      case PodCpuGroup::kUnready:
        unready.push_back(i);
        break;
      case PodCpuGroup::kMissing:
        missing.push_back(i);
        break;
      case PodCpuGroup::kMeasured:
        ++out.ready_pods;
        // Quantity.MilliValue() rounds up.
        usage[i] = static_cast<int64_t>(std::ceil(pod.cpu_millicores));
        break;
    }
  }
  out.unready_pods = static_cast<int>(unready.size());
  out.missing_pods = static_cast<int>(missing.size());
  if (usage.empty()) {
    return Error("no CPU metrics for any ready pod yet (" + std::to_string(pods.size()) +
                 " pods: " + std::to_string(out.missing_pods) + " without metrics, " +
                 std::to_string(out.unready_pods) + " unready or initialising, " +
                 std::to_string(out.ignored_pods) + " terminating)");
  }

  // As in Kubernetes, requests are checked once some pod has a usable metric: every listed
  // pod needs one.
  std::vector<int64_t> requests;
  for (const PodCpu& pod : pods) {
    const int64_t request = std::llround(pod.request_millicores);
    if (request <= 0) {
      return Error("pod " + pod.name +
                   " has no CPU request (resources.requests.cpu), so its utilization cannot "
                   "be computed");
    }
    requests.push_back(request);
  }

  const auto within = [&](double ratio) {
    return 1.0 - spec.tolerance <= ratio && ratio <= 1.0 + spec.tolerance;
  };
  const Ratio first = utilization_ratio(usage, requests, spec.target_cpu_utilization);
  out.utilization = first.utilization;
  out.average_millicores = first.average;

  const bool scale_up_with_unready = !unready.empty() && first.ratio > 1.0;
  if (!scale_up_with_unready && missing.empty()) {
    if (within(first.ratio)) {
      out.replicas = current_replicas;
      out.kept_because = "within tolerance";
      return out;
    }
    out.replicas = ceil_replicas(first.ratio, static_cast<size_t>(out.ready_pods));
    return out;
  }

  // Rebalance conservatively: pods without a metric count as using max(100%, target) of their
  // request on a scale-down and 0% on a scale-up; unready pods count as 0% on a scale-up.
  if (!missing.empty()) {
    if (first.ratio < 1.0) {
      const int64_t fallback = std::max(100, spec.target_cpu_utilization);
      for (const auto& pod : missing) usage[pod] = requests[pod] * fallback / 100;
    } else if (first.ratio > 1.0) {
      for (const auto& pod : missing) usage[pod] = 0;
    }
  }
  if (scale_up_with_unready) {
    for (const auto& pod : unready) usage[pod] = 0;
  }
  const Ratio rebalanced = utilization_ratio(usage, requests, spec.target_cpu_utilization);
  if (within(rebalanced.ratio)) {
    out.replicas = current_replicas;
    out.kept_because = "within tolerance once pods without usable metrics are counted";
    return out;
  }
  if ((first.ratio < 1.0 && rebalanced.ratio > 1.0) ||
      (first.ratio > 1.0 && rebalanced.ratio < 1.0)) {
    out.replicas = current_replicas;
    out.kept_because = "counting pods without usable metrics would reverse the direction";
    return out;
  }
  const int proposed = ceil_replicas(rebalanced.ratio, usage.size());
  if ((rebalanced.ratio < 1.0 && proposed > current_replicas) ||
      (rebalanced.ratio > 1.0 && proposed < current_replicas)) {
    out.replicas = current_replicas;
    out.kept_because = "the pods counted would reverse the direction";
    return out;
  }
  out.replicas = proposed;
  return out;
}

}  // namespace stampede::local
