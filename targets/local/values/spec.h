// The typed model of the chart's values that the local runtime runs: one DeploymentSpec per
// enabled service, plus the `localRuntime` settings. Built (and validated) by read_values() in
// values_reader.h; plain data, no behaviour, safe to copy between threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stampede::local {

enum class ProbeKind { kHttpGet, kGrpc, kTcpSocket, kExec };

const char* probe_kind_name(ProbeKind kind);

// A Kubernetes probe (core/v1 Probe) with its defaults. The port is resolved at read time to
// the name of one of the container's ports (a number must be one of its containerPorts).
struct ProbeSpec {
  ProbeKind kind = ProbeKind::kTcpSocket;
  std::string port_name;                                          // httpGet, grpc, tcpSocket
  std::string path = "/";                                         // httpGet
  std::string scheme = "HTTP";                                    // httpGet: only HTTP runs locally
  std::vector<std::pair<std::string, std::string>> http_headers;  // httpGet.httpHeaders
  std::string grpc_service;          // grpc.service ("" = the server's overall health)
  std::vector<std::string> command;  // exec.command
  int initial_delay_seconds = 0;
  int period_seconds = 10;
  int timeout_seconds = 1;
  int success_threshold = 1;
  int failure_threshold = 3;
  std::optional<int> termination_grace_period_seconds;  // probe-level override (liveness/startup)
};

struct ContainerPort {
  std::string name;
  int container_port = 0;
  std::string env;  // the variable that carries the port the process must listen on
};

// Kubernetes' intstr for maxSurge / maxUnavailable: an absolute count or a percentage.
struct IntOrPercent {
  bool percent = false;
  int value = 0;
};

// Resolves maxSurge (rounded up) and maxUnavailable (rounded down) against `replicas` the way
// the Deployment controller does; when both come out 0, maxUnavailable becomes 1.
std::pair<int, int> resolve_fenceposts(const IntOrPercent& surge, const IntOrPercent& unavailable,
                                       int replicas);

// autoscaling/v2 behavior as written in the values; absent fields take Kubernetes' defaults
// when the runtime builds its HpaSpec.
struct ScalingPolicyValue {
  bool pods = false;  // type Pods; false: Percent
  int value = 0;
  int period_seconds = 0;
};
struct ScalingRulesValue {
  std::optional<int> stabilization_window_seconds;
  std::optional<std::string> select_policy;  // Max, Min, Disabled
  std::optional<std::vector<ScalingPolicyValue>> policies;
};

struct AutoscalingSpec {
  bool enabled = false;
  int min_replicas = 1;
  int max_replicas = 1;
  int target_cpu_utilization = 80;
  ScalingRulesValue scale_up;
  ScalingRulesValue scale_down;
};

struct ServiceSpec {
  int port = 0;             // the Service port (Kubernetes); locally see LocalRuntimeSpec
  std::string target_port;  // a container port name
};

// One enabled service: a Deployment and (when `service` is set) its Service.
struct DeploymentSpec {
  std::string name;
  std::string image_repository;
  std::string image_tag;
  std::vector<std::string> command;
  std::vector<std::string> args;
  int replicas = 1;
  std::vector<ContainerPort> ports;
  std::optional<ServiceSpec> service;
  std::string address_env;
  std::vector<std::string> dependencies;  // enabled ones only
  bool mount_data = false;
  std::vector<std::pair<std::string, std::string>> env;  // in the values' order
  int64_t cpu_request_millis = 0;
  int64_t cpu_limit_millis = 0;
  int64_t memory_request_bytes = 0;
  int64_t memory_limit_bytes = 0;
  std::optional<ProbeSpec> liveness;
  std::optional<ProbeSpec> readiness;
  std::optional<ProbeSpec> startup;
  int termination_grace_period_seconds = 30;
  // Deployment.spec.minReadySeconds: a new pod counts as available (for a rollout's pace and
  // `available`) once Ready this long. Service endpoints do not wait for it.
  int min_ready_seconds = 0;
  IntOrPercent max_surge{true, 25};
  IntOrPercent max_unavailable{true, 25};
  AutoscalingSpec autoscaling;

  const ContainerPort* port_named(const std::string& port_name) const;
};

enum class CpuLimitsSetting { kAuto, kRequired, kOff };

struct LocalRuntimeSpec {
  std::map<std::string, std::string> executables;  // image repository -> executable
  std::map<std::string, int> service_ports;        // service -> loopback port (0: any)
  double hpa_sync_period_seconds = 15;
  double cpu_window_seconds = 15;
  CpuLimitsSetting cpu_limits = CpuLimitsSetting::kAuto;
  double crash_loop_backoff_base_seconds = 10;  // kubelet: 10 s, doubling
  double crash_loop_backoff_max_seconds = 300;  // kubelet: 5 min
  // localRuntime.kubernetesApi.extensions: serve the local.stampede.dev/v1 group (pause,
  // resume, Service faults) beside the Kubernetes API; false behaves like a real cluster.
  bool kubernetes_api_extensions = true;
};

struct Values {
  std::vector<std::pair<std::string, std::string>> common_env;
  std::vector<DeploymentSpec> deployments;  // enabled services, in the values' order
  LocalRuntimeSpec local;

  const DeploymentSpec* deployment(const std::string& name) const;
};

}  // namespace stampede::local
