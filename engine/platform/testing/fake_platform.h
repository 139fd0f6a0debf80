// FakePlatform: an in-memory Platform for tests — a FAKE, standing in for a cluster or the
// local runtime where those cannot run. It keeps deployments with pods, Services, HPAs, fault
// knobs and an event log, and does to them what the real platforms do, at once: a killed
// (force-deleted) or terminated pod is replaced (the replacement turns Ready at the next read,
// so after the call that deleted its predecessor), a rollout replaces every pod, a scale adds or
// removes pods. Tests can make it unreachable, make one operation fail, and read back what was
// done (calls(), faults). Thread-safe: a mutex guards everything, so a test may inspect it while
// the chaos controller's thread drives it.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/platform/platform.h"

namespace stampede {

// An HPA on CPU utilisation of requests for `deployment`, for setting up fakes.
inline HpaState cpu_hpa(const std::string& deployment, int min_replicas, int max_replicas,
                        int target_utilization) {
  HpaState hpa;
  hpa.deployment = deployment;
  hpa.min_replicas = min_replicas;
  hpa.max_replicas = max_replicas;
  hpa.target_cpu_utilization = target_utilization;
  return hpa;
}

class FakePlatform final : public Platform {
 public:
  FakePlatform();

  // --- Setting it up -------------------------------------------------------------------------
  // Adds a deployment (its `name`, probes, grace period, hpa...) with `pods` Running, Ready pods
  // named "<name>-<n>" labelled app=<name>; its Service has the deployment's name.
  void add_deployment(DeploymentState deployment, int pods);
  // The time source for events (default: monotonic_now()).
  void set_clock(std::function<Nanos()> clock);
  void set_reachable(bool reachable);
  // The call of `operation` ("kill", "terminate", "pause", "resume", "scale", "restart",
  // "set-faults", "check-faults", "clear-faults", "set-service-fault", "clear-service-fault",
  // "pods", ...) that
  // follows `after` successful ones fails, once.
  void fail_next(const std::string& operation, int after = 0);
  // What pod_metrics() answers for every pod of `deployment` (or for one pod, by its name).
  void set_metrics(const std::string& deployment_or_pod, std::string text);
  void set_hpa_utilization(const std::string& deployment, double utilization, int desired);
  void set_pod_cpu(const std::string& pod, double utilization);
  // Logs an event as the platform would (e.g. a liveness restart the fake cannot simulate).
  void emit(const std::string& kind, const std::string& deployment, const std::string& pod,
            const std::string& detail = "");
  // A restart the platform did on its own (restart count + 1, events pod-restarted, pod-ready).
  void restart_pod(const std::string& pod);
  // Sets a pod's state ("crash-loop-backoff", "paused", ...) as the platform would report it.
  void set_pod_state(const std::string& pod, const std::string& state);

  // --- Reading back --------------------------------------------------------------------------
  // Every acting call made, in order: "kill cart-1", "scale cart 0", "set-faults payment-1 ...".
  std::vector<std::string> calls() const;
  std::optional<FaultKnobs> pod_faults(const std::string& pod) const;
  std::optional<NetworkFault> service_fault(const std::string& service) const;
  bool paused(const std::string& pod) const;
  int replicas(const std::string& deployment) const;
  std::vector<std::string> pod_names(const std::string& deployment) const;

  // --- Platform ------------------------------------------------------------------------------
  std::string describe() const override { return "fake platform"; }
  std::string identity() const override { return "fake platform"; }
  std::string cannot(Capability what) const override;
  std::string event_times() const override { return "platform"; }
  // Makes cannot(`what`) answer `why` ("" again: it can).
  void set_cannot(Capability what, std::string why);
  Status ping() override;
  Result<std::vector<DeploymentState>> deployments() override;
  Result<std::vector<PodState>> pods(const std::string& selector) override;
  Result<std::vector<HpaState>> hpas() override;
  Result<EventBatch> events_since(int64_t cursor) override;
  Result<std::string> pod_metrics(const std::string& pod) override;
  Status kill_pod(const std::string& pod) override;
  Status terminate_pod(const std::string& pod, double grace_seconds) override;
  Status pause_pod(const std::string& pod) override;
  Status scale(const std::string& deployment, int replicas) override;
  Status rollout_restart(const std::string& deployment) override;
  Status set_pod_faults(const std::string& pod, const FaultKnobs& knobs) override;
  Status check_pod_faults(const std::string& pod) override;
  Status set_service_fault(const std::string& service, const NetworkFault& fault) override;
  Status resume_pod(const std::string& pod) override;
  Status clear_pod_faults(const std::string& pod) override;
  Status clear_service_fault(const std::string& service) override;

 private:
  struct Deployment {
    DeploymentState state;
    std::vector<PodState> pods;
    int next_pod = 1;
  };

  // Each returns an error when unreachable or when `operation` was set to fail.
  Status gate(const std::string& operation);
  void log_event(const std::string& kind, const std::string& deployment, const std::string& pod,
                 const std::string& detail);
  PodState make_pod(Deployment& d);
  PodState* find_pod(const std::string& name, Deployment** owner = nullptr);
  Deployment* find_deployment(const std::string& name);
  void refresh(Deployment& d);
  // Replacement pods created by a delete turn Ready (events pod-ready, now).
  void settle();

  mutable std::mutex mu_;
  std::function<Nanos()> clock_;
  bool reachable_ = true;
  std::map<std::string, std::vector<int>> fail_next_;  // calls to let through before each failure
  std::map<std::string, Deployment> deployments_;
  std::map<std::string, FaultKnobs> pod_faults_;
  std::map<std::string, NetworkFault> service_faults_;
  std::map<std::string, std::string> metrics_;
  std::map<Capability, std::string> cannot_;
  std::vector<std::string> starting_;  // replacements not Ready yet
  std::vector<PlatformEventRecord> events_;
  std::vector<std::string> calls_;
};

}  // namespace stampede
