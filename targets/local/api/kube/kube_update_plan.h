// What a patched or replaced Deployment (or its Scale) asks of the runtime. The runtime runs the
// chart's values: it can change a deployment's replica count (Deployment::scale) and its pod
// template's annotations (a rollout: Deployment::rollout_restart, as `kubectl rollout restart`
// does with kubectl.kubernetes.io/restartedAt); any other change (image, env, probes, selector,
// paused, labels, ...) is refused with 422 Invalid naming the field and saying what to do
// instead. Type errors are 422 in the API server's words; a resourceVersion that is not the
// current one is 409 Conflict; a name that is not the URL's is 400. Nulls and empty maps and
// lists compare as absent (typed clients drop or add them). Pure functions; thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "targets/kubernetes/api_status.h"

namespace stampede::local::kube {

inline constexpr int kMaxReplicas = 1000;  // the local runtime's bound (as /v1 scale's)

// What to do (or the Status to answer); a plain value.
struct UpdatePlan {
  UpdatePlan() { error.code = 0; }
  stampede::kube::ApiStatus error;  // error.code 0: no error
  std::optional<int> replicas;      // the new spec.replicas, when it changed
  std::optional<std::map<std::string, std::string>> template_annotations;  // when they changed
  bool ok() const { return error.code == 0; }
};

// `current` is the stored Deployment; `desired` the patched object or the update's body.
UpdatePlan plan_deployment_update(const nlohmann::json& current, const nlohmann::json& desired);
// `current` is the stored Deployment's Scale; `desired` the patched Scale or the body.
UpdatePlan plan_scale_update(const nlohmann::json& current, const nlohmann::json& desired);

// The first path where `a` and `b` differ ("spec.template.spec.containers[0].image"), skipping
// `ignored` paths; "" when they are the same. Nulls and empty maps/lists count as absent.
std::string first_difference(const nlohmann::json& a, const nlohmann::json& b,
                             const std::vector<std::string>& ignored);

}  // namespace stampede::local::kube
