// The plain data a Platform (platform.h) reports and is asked to apply: deployments with their
// probes and HPAs, pods, events, and the two kinds of faults (the shop's knobs on a pod, a
// network fault on a Service's proxy). Times are CLOCK_MONOTONIC nanoseconds (the run's clock).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/clock.h"

namespace stampede {

// One Kubernetes probe, reduced to what timing predictions need.
struct ProbeSpec {
  std::string handler;  // httpGet | grpc | tcpSocket | exec
  double initial_delay_seconds = 0;
  double period_seconds = 10;
  double timeout_seconds = 1;
  int success_threshold = 1;
  int failure_threshold = 3;
};

struct ProbeSet {
  std::optional<ProbeSpec> liveness;
  std::optional<ProbeSpec> readiness;
  std::optional<ProbeSpec> startup;
};

// A HorizontalPodAutoscaler on CPU utilisation of requests.
struct HpaState {
  std::string deployment;
  int min_replicas = 1;
  int max_replicas = 1;
  double target_cpu_utilization = 80;  // percent of requests.cpu
  double current_utilization = -1;     // percent; -1 unknown
  int current_replicas = 0;
  int desired_replicas = 0;
  Nanos last_scale_mono_ns = -1;  // -1: never scaled
  std::string reason;
  // behavior.scaleDown.stabilizationWindowSeconds when the platform reports it; -1 unknown.
  double scale_down_stabilization_seconds = -1;
  // status.conditions as "AbleToScale=True (ReadyForNewScale)", when the platform reports them.
  std::vector<std::string> conditions;
};

struct DeploymentState {
  std::string name;
  int replicas = 0;  // desired
  int current = 0;
  int ready = 0;
  int updated = 0;
  int available = 0;
  bool rollout_in_progress = false;
  int64_t revision = 0;
  std::string service;  // the Service in front of it; "" for none
  int service_port = 0;
  std::optional<HpaState> hpa;
  ProbeSet probes;
  double termination_grace_period_seconds = 30;
  std::map<std::string, std::string> labels;
  std::string selector;  // the label selector of its pods ("app=cart"); "" when unknown
};

struct PodState {
  std::string name;
  std::string deployment;
  std::string phase;  // Pending | Running | Terminating | Failed
  std::string state;  // starting | running | paused | crash-loop-backoff | terminating | exited
  bool ready = false;
  int64_t restarts = 0;
  std::map<std::string, int> ports;  // by name: "grpc", "metrics", "http", "admin"
  double cpu_millicores = -1;
  double cpu_utilization = -1;  // percent of requests.cpu; -1 unknown
  Nanos created_mono_ns = 0;
  std::map<std::string, std::string> labels;
  std::string waiting_reason;    // the container's waiting reason: CrashLoopBackOff, ...; ""
  std::string last_exit_reason;  // its last termination: Error, OOMKilled, Completed, ...; ""
};

// Something that happened, as the platform logged it or as stampede saw it change.
struct PlatformEventRecord {
  int64_t seq = 0;
  Nanos mono_ns = 0;  // when it happened, or (Kubernetes) when stampede observed it arrive
  std::string kind;   // pod-created, pod-ready, pod-restarted, scaled, hpa-scaled, ...
  std::string deployment;
  std::string pod;
  std::string detail;
  // The platform's own timestamp for it, when it gives one (Kubernetes: RFC 3339, whole
  // seconds, or microseconds for a MicroTime); "" otherwise.
  std::string server_time;
};

struct EventBatch {
  int64_t next = 0;
  std::vector<PlatformEventRecord> events;
};

// The shop's fault knobs (shop-reference/README.md, "Fault knobs"). Unset fields are not sent.
struct FaultKnobs {
  std::optional<int64_t> latency_ms;  // the shop takes whole milliseconds
  std::optional<int64_t> jitter_ms;
  std::optional<double> error_rate;
  std::optional<bool> hang;
  std::optional<bool> unhealthy;
  std::optional<int64_t> cpu_burn_ms;
  std::vector<std::string> methods;  // empty: every method

  bool empty() const {
    return !latency_ms && !jitter_ms && !error_rate && !hang && !unhealthy && !cpu_burn_ms;
  }
  // "error_rate=1 latency_ms=200" for logs and events.
  std::string describe() const;
};

// A network fault on a Service's proxy (docs/local-runtime-api.md). Zero values are off.
struct NetworkFault {
  double latency_ms = 0;
  double jitter_ms = 0;
  double bandwidth_kbps = 0;
  double reset_rate = 0;
  bool reset_existing = false;
  bool blackhole = false;

  // "latency_ms=500 blackhole" for logs and events.
  std::string describe() const;
};

}  // namespace stampede
