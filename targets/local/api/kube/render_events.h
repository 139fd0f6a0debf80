// The runtime's event log as core/v1 Events in Kubernetes' vocabulary: ReplicaSet
// SuccessfulCreate / SuccessfulDelete, Pod Scheduled / Created / Started / Killing, Warning
// Unhealthy and BackOff, Deployment ScalingReplicaSet, HPA SuccessfulRescale, and stampede's own
// reasons (Paused, Resumed, Killed, FaultSet, FaultCleared, CPULimitFailed) reported by
// "stampede-local". Readiness changes are not Events (they are the pod's Ready condition).
// Repeats of the same event on the same object are folded into one Event with a count, as the
// kubelet's event correlator does; the newest `capacity` Events are kept.
// Not thread-safe: the translator lives on the runtime's control thread.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "targets/local/api/kube/kube_store.h"
#include "targets/local/api/kube/render_context.h"
#include "targets/local/runtime/runtime.h"

namespace stampede::local::kube {

// One Kubernetes Event before it is numbered and timed.
struct KubeEvent {
  std::string kind;  // the involved object: Pod, ReplicaSet, Deployment, ...
  std::string name;
  std::string api_version;  // v1, apps/v1, autoscaling/v2
  std::string field_path;   // "spec.containers{frontend}" for container events
  std::string type = "Normal";
  std::string reason;
  std::string message;
  std::string component;   // kubelet, replicaset-controller, ... (source and reportingComponent)
  bool from_node = false;  // the kubelet: source.host is the node
};

// What translating an event needs to know beyond it.
struct EventFacts {
  std::string template_hash;  // the deployment's current one (names its ReplicaSet)
  int hpa_min = 0;            // the deployment's HPA bounds (0: no HPA)
  int hpa_max = 0;
  std::string pod_uid;  // the event's pod, for BackOff messages
};

// The Kubernetes Events one runtime event stands for (none for most readiness bookkeeping).
std::vector<KubeEvent> translate_event(const Event& e, const EventFacts& facts);

// Owns the Events it made (to fold repeats and keep the newest); control thread only.
class EventTranslator {
 public:
  explicit EventTranslator(size_t capacity = 1000) : capacity_(capacity) {}
  // Translates every runtime event not seen yet into `store` ("events").
  void update(const RenderContext& ctx, Runtime& rt, ObjectStore& store);
  // Translates one runtime event into `store`: new Events, or repeats counted on theirs.
  void translate(const RenderContext& ctx, const Event& e, const EventFacts& facts,
                 ObjectStore& store);

 private:
  void add(const RenderContext& ctx, const KubeEvent& k, int64_t mono_ns, uint64_t seq,
           ObjectStore& store);

  size_t capacity_;
  uint64_t next_seq_ = 1;
  std::map<std::string, std::string> by_key_;      // what is folded -> Event name
  std::map<std::string, nlohmann::json> objects_;  // Event name -> the object
  std::map<std::string, std::string> key_of_;      // Event name -> its fold key
  std::deque<std::string> order_;                  // Event names, oldest first
};

}  // namespace stampede::local::kube
