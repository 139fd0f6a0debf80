// Deployments and ReplicaSets of the runtime as apps/v1 objects, and the Scale view of a
// deployment. A Deployment's status is what kubectl's rollout status viewer reads: replicas
// (pods not terminating), updatedReplicas, readyReplicas, availableReplicas, observedGeneration
// and the Available / Progressing conditions. One ReplicaSet per template hash that still has
// pods, plus the current one. The renderer remembers generations, condition transitions and
// when each ReplicaSet appeared. Not thread-safe: control thread only.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "targets/local/api/kube/render_context.h"
#include "targets/local/runtime/runtime.h"

namespace stampede::local::kube {

// Owns generations, condition times and ReplicaSet first sightings; control thread only.
class WorkloadRenderer {
 public:
  // Renders every deployment and its ReplicaSets as of `now_ns` (mono).
  void render(const RenderContext& ctx, const Runtime& rt, int64_t now_ns,
              std::vector<nlohmann::json>& deployments, std::vector<nlohmann::json>& replica_sets);

 private:
  nlohmann::json deployment(const RenderContext& ctx, const Deployment& d, int64_t now_ns);
  struct ReplicaSetTrack {
    int64_t first_seen_ns = 0;
    int revision = 1;
    std::map<std::string, std::string> annotations;  // of its template
  };
  struct DeploymentTrack {
    nlohmann::json spec;
    int64_t generation = 0;
  };
  std::map<std::string, DeploymentTrack> deployments_;
  std::map<std::string, ReplicaSetTrack> replica_sets_;  // by ReplicaSet name
  TransitionClock conditions_;
};

// The pod template of a deployment (labels, annotations, the container); with `hash`, its
// labels carry that pod-template-hash (a ReplicaSet's template).
nlohmann::json pod_template(const Deployment& d,
                            const std::map<std::string, std::string>& annotations,
                            const std::string& hash);
// The autoscaling/v1 Scale of a stored Deployment object.
nlohmann::json scale_of(const nlohmann::json& deployment);

}  // namespace stampede::local::kube
