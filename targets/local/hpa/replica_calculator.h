// The replica count Kubernetes' HPA formula gives for CPU utilisation of requests, with no
// memory of earlier syncs (kube-controller-manager's ReplicaCalculator.GetResourceReplicas and
// its groupPods). HpaController builds on it; chaos validations call it directly to predict the
// replica count for a measured CPU. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "targets/local/hpa/hpa_types.h"

namespace stampede::local {

struct CpuReplicaCount {
  // ceil(usage ratio × pods counted), or current_replicas when the change is within tolerance
  // or when counting unready/missing pods would turn the direction around.
  int replicas = 0;
  int utilization = 0;             // whole percent of requests over the measured ready pods
  int64_t average_millicores = 0;  // their average usage
  int ready_pods = 0;
  int unready_pods = 0;
  int missing_pods = 0;
  int ignored_pods = 0;
  std::string kept_because;  // why replicas == current_replicas when that was decided; else ""
};

// How a pod's CPU sample is treated (Kubernetes' groupPods for the cpu resource).
enum class PodCpuGroup {
  kMeasured,  // ready with a usable metric: its usage counts as measured
  kUnready,   // pending, unready, or initialising without a fresh metric
  kMissing,   // no metric
  kIgnored,   // terminating
};
PodCpuGroup classify_pod_cpu(const HpaSpec& spec, double now, const PodCpu& pod);

// Pods are grouped as Kubernetes does for CPU: terminating pods are ignored; pending pods are
// unready; pods without a metric are missing; a pod is unready while it is not ready or its
// metric window began before its last readiness change during the first
// spec.cpu_initialization_period_seconds after it started, and afterwards only if it is not
// ready and turned unready within spec.initial_readiness_delay_seconds of starting (it has
// never been ready). Usage is rounded up to whole millicores, utilisation truncated to whole
// percent, as Kubernetes' metrics client does.
// Errors (the HPA is then unable to scale): no pods, a pod without a CPU request, no metric for
// any ready pod.
Result<CpuReplicaCount> calculate_cpu_replicas(const HpaSpec& spec, double now,
                                               int current_replicas,
                                               const std::vector<PodCpu>& pods);

}  // namespace stampede::local
