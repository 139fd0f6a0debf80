// A pod of the runtime as a core/v1 Pod: metadata (labels app, app.kubernetes.io/component and
// pod-template-hash, ownerReferences to its ReplicaSet, deletionTimestamp while terminating),
// spec (its container, restartPolicy Always, the grace period, the local node) and status
// (phase, conditions, IPs, the container's state, last state and restarts). How the runtime's
// exits map onto Kubernetes' vocabulary is written in docs/local-runtime-api.md. Control thread
// only (it reads the pod).
#pragma once

#include <nlohmann/json.hpp>

#include "targets/local/api/kube/render_context.h"
#include "targets/local/runtime/pod.h"

namespace stampede::local::kube {

// The labels every pod of `deployment` carries with `hash`.
nlohmann::json pod_labels(const std::string& deployment, const std::string& hash);
// A terminated container state (ContainerStateTerminated) of an exit.
nlohmann::json terminated_state(const RenderContext& ctx, const LastExit& exit);
nlohmann::json render_pod(const RenderContext& ctx, const LocalRuntimeSpec& local, const Pod& pod);

}  // namespace stampede::local::kube
