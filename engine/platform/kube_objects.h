// Kubernetes objects (the API's JSON) read into the Platform's plain data: a Pod into PodState,
// a Deployment (with the Services and HPAs in front of it) into DeploymentState, an autoscaling/v2
// HorizontalPodAutoscaler into HpaState, a PodMetrics into millicores. Pure functions; the
// Kubernetes adapter (kubernetes_platform.h) feeds them what it lists and watches.
//
// Names: a deployment's name is reported without `name_prefix` (the shop chart names its objects
// "<release fullname>-<service>"; with the prefix the script's "frontend" finds
// "shop-frontend"). Times: the API's RFC 3339 times become the run's monotonic clock through
// `clock` (the offset between CLOCK_REALTIME and CLOCK_MONOTONIC, taken once).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/platform/platform_types.h"

namespace stampede {

// Converts the API's wall-clock times to the run's monotonic clock.
struct KubeClock {
  int64_t realtime_minus_mono_ns = 0;
  // The offset now.
  static KubeClock now();
  // An RFC 3339 time to monotonic ns; 0 when `text` is empty or not a time.
  Nanos mono(const std::string& text) const;
};

struct KubeNames {
  std::string prefix;  // stripped from deployment (and Service/HPA target) names
  // The name scripts use for `name`: without the prefix when it has it.
  std::string shorten(const std::string& name) const;
  // The API name for a script's name.
  std::string expand(const std::string& name) const;
};

// The deployment a pod belongs to: its controller ReplicaSet's name without the
// "-<pod-template-hash>" suffix the deployment controller gives it; "" for a pod no deployment
// owns. Not shortened.
std::string pod_deployment(const nlohmann::json& pod);

// A Pod. Errors name the missing field ("pod: metadata.name missing").
Result<PodState> read_pod(const nlohmann::json& pod, const KubeNames& names,
                          const KubeClock& clock);
// An apps/v1 Deployment, with the Services (core/v1) and HPAs (autoscaling/v2) of its namespace
// to find the ones in front of it.
Result<DeploymentState> read_deployment(const nlohmann::json& deployment,
                                        const std::vector<nlohmann::json>& services,
                                        const std::vector<nlohmann::json>& hpas,
                                        const KubeNames& names, const KubeClock& clock);
// An autoscaling/v2 HorizontalPodAutoscaler on a Deployment; nullopt for one on anything else.
Result<std::optional<HpaState>> read_hpa(const nlohmann::json& hpa, const KubeNames& names,
                                         const KubeClock& clock);
// A metrics.k8s.io/v1beta1 PodMetrics: the pod's CPU in millicores (its containers summed).
Result<double> read_pod_metrics_millicores(const nlohmann::json& metrics);
// The CPU request of a pod's containers in millicores (0 when none is set).
double pod_cpu_request_millicores(const nlohmann::json& pod);

// A Kubernetes CPU quantity ("250m", "0.5", "2", "12345678n", "1500u") in millicores.
// Errors quote it.
Result<double> parse_cpu_millicores(const std::string& quantity);
// A probe of a container (livenessProbe ...), with Kubernetes' defaults for absent fields.
ProbeSpec read_probe(const nlohmann::json& probe);

}  // namespace stampede
