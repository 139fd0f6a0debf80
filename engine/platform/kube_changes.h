// KubeChangeLog: turns what Kubernetes watches deliver — lists and ADDED / MODIFIED / DELETED
// of pods, deployments, HPAs and core/v1 Events — into the Platform's event records, each
// stamped with the monotonic time stampede observed it (the API's own times are whole seconds;
// the verdicts need better):
//   pods         pod-created, pod-ready, pod-unready, pod-restarted (restartCount grew),
//                pod-exited (a container terminated), crash-loop-backoff, pod-terminated
//                (deletion began), pod-deleted, pod-paused / pod-resumed (local extension)
//   deployments  scaled (spec.replicas), rollout-started (a new pod template),
//                rollout-finished (kubectl rollout status' "successfully rolled out")
//   HPAs         hpa-scaled (status.desiredReplicas)
//   Events       probe-failed (reason Unhealthy), fault-set / fault-cleared, and any other
//                reason as "event" with "Reason: message"
// The first list of each kind only sets the baseline; a later list (after 410 Gone) is diffed
// against what was known. Keeps the newest 100,000 records. Not thread-safe: its owner (the
// Kubernetes adapter) calls it under its own lock.
#pragma once

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/platform/kube_objects.h"
#include "engine/platform/platform_types.h"

namespace stampede {

class KubeChangeLog {
 public:
  enum class Kind { kPod, kDeployment, kHpa, kEvent };

  explicit KubeChangeLog(KubeNames names, size_t capacity = 100000)
      : names_(std::move(names)), capacity_(capacity) {}

  // A complete list of `kind` observed at `observed` (monotonic ns).
  void on_list(Kind kind, const std::vector<nlohmann::json>& items, Nanos observed);
  // One watch event: `type` is ADDED, MODIFIED or DELETED (others are ignored).
  void on_event(Kind kind, const std::string& type, const nlohmann::json& object, Nanos observed);
  // Records with seq >= `cursor` (0: all kept); `next` is the cursor to pass next time.
  EventBatch since(int64_t cursor) const;
  // Whether the first list of `kind` arrived.
  bool listed(Kind kind) const { return listed_.count(kind) > 0; }

 private:
  struct PodSnap {
    std::string deployment;
    bool ready = false;
    int64_t restarts = 0;
    bool terminated = false;
    bool deleting = false;
    bool paused = false;
    std::string waiting;
  };
  struct DeploymentSnap {
    int64_t replicas = 0;
    std::string pod_template;
    bool complete = true;
    bool rolling = false;  // a rollout started and has not finished
  };
  struct HpaSnap {
    int64_t desired = 0;
    std::string deployment;
  };

  void pod(const nlohmann::json& object, bool deleted, Nanos observed);
  void deployment(const nlohmann::json& object, bool deleted, Nanos observed);
  void hpa(const nlohmann::json& object, bool deleted, Nanos observed);
  void event(const nlohmann::json& object, Nanos observed);
  void add(Nanos observed, std::string kind, std::string deployment, std::string pod,
           std::string detail, std::string server_time = "");

  KubeNames names_;
  size_t capacity_;
  std::set<Kind> listed_;
  std::map<std::string, PodSnap> pods_;
  std::map<std::string, DeploymentSnap> deployments_;
  std::map<std::string, HpaSnap> hpas_;
  std::map<std::string, int64_t> events_;  // uid -> count last seen
  std::deque<std::string> event_order_;    // events_' keys, oldest first (for eviction)
  std::deque<PlatformEventRecord> records_;
  int64_t next_seq_ = 1;
  bool baseline_ = false;  // true while applying a kind's first list
};

}  // namespace stampede
