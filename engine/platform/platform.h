// Platform: what the chaos controller and the validations talk to — the thing under test seen
// as deployments, pods, Services and HPAs (Kubernetes words, whatever runs them). Adapters:
// KubernetesPlatform (kubernetes_platform.h) over the Kubernetes API — a real cluster's or the
// one `stampede up` serves — and FakePlatform (testing/fake_platform.h) in memory for tests.
//
// Calls block (they may do network I/O) and return errors as values naming what failed. A
// Platform is used by one thread at a time (the run's main thread before and after the run, the
// chaos controller's thread during it); implementations need not be thread-safe. Never call one
// from a worker thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/platform/platform_types.h"

namespace stampede {

// What only some platforms can do.
enum class Capability {
  kPausePod,      // SIGSTOP/SIGCONT a pod's container
  kServiceFault,  // a network fault in a Service's proxy
  kPodFaults,     // the shop's fault knobs on a pod (its admin endpoint and token reachable)
};

class Platform {
 public:
  virtual ~Platform() = default;

  // Empty when the platform can do `what`; else one line saying why not and what would.
  virtual std::string cannot(Capability what) const = 0;
  // How events_since() times its events: "observed" (stamped when the change arrived) or
  // "platform" (the platform's own times on the run's clock).
  virtual std::string event_times() const = 0;

  // One line naming the platform for messages: "local runtime https://127.0.0.1:41234 (.stampede)".
  virtual std::string describe() const = 0;
  // What the chaos journal records to tell platforms apart: the same for every connection to
  // one runtime or cluster namespace ("local runtime (.stampede)", "Kubernetes
  // https://10.0.0.1:6443 namespace shop"), different for any other.
  virtual std::string identity() const = 0;
  // Checks the platform answers (and accepts our credentials). Errors say why not.
  virtual Status ping() = 0;

  // Reading.
  virtual Result<std::vector<DeploymentState>> deployments() = 0;
  // Pods, all of them when `selector` is empty, else those whose labels match the Kubernetes
  // label selector (equality and set-based: "app=cart,tier in (web,api)").
  virtual Result<std::vector<PodState>> pods(const std::string& selector) = 0;
  virtual Result<std::vector<HpaState>> hpas() = 0;
  // Events with a sequence number >= `cursor` (0: all kept); `next` is the cursor to pass next.
  virtual Result<EventBatch> events_since(int64_t cursor) = 0;
  // The pod's Prometheus text exposition (its `metrics` port, else its `http` port, /metrics).
  virtual Result<std::string> pod_metrics(const std::string& pod) = 0;

  // Acting. Every call names the pod/deployment/service in its error.
  virtual Status kill_pod(const std::string& pod) = 0;
  // grace_seconds < 0: the deployment's terminationGracePeriodSeconds.
  virtual Status terminate_pod(const std::string& pod, double grace_seconds) = 0;
  virtual Status pause_pod(const std::string& pod) = 0;
  virtual Status scale(const std::string& deployment, int replicas) = 0;
  virtual Status rollout_restart(const std::string& deployment) = 0;
  virtual Status set_pod_faults(const std::string& pod, const FaultKnobs& knobs) = 0;
  // Reads the pod's fault knobs without changing them: proves they can be set (preflight).
  virtual Status check_pod_faults(const std::string& pod) = 0;
  virtual Status set_service_fault(const std::string& service, const NetworkFault& fault) = 0;

  // Undoing. These succeed when there is nothing (left) to undo: the pod is gone, is not
  // paused, or has no fault — so a revert can always be repeated.
  virtual Status resume_pod(const std::string& pod) = 0;
  virtual Status clear_pod_faults(const std::string& pod) = 0;
  virtual Status clear_service_fault(const std::string& service) = 0;
};

}  // namespace stampede
