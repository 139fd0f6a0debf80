// The writes of the local Kubernetes API. Each is checked against the stored object, runs on the
// runtime's control thread through Runtime::call() (as the /v1 actions do), renders at once, and
// answers the object as it is right after the change:
//   DELETE pods/{name}: DeleteOptions from the body and the query (gracePeriodSeconds — 0 is a
//     force delete: SIGKILL now, the pod object goes when its process is reaped and the
//     deployment replaces it at once —, preconditions uid / resourceVersion → 409,
//     propagationPolicy, dryRun=All → no action); answers the pod with its deletionTimestamp;
//   PATCH (merge, JSON, strategic merge) and PUT of deployments and deployments/scale: a new
//     spec.replicas scales, new template annotations roll out, anything else is 422;
//   local.stampede.dev: POST pods/{name}/pause and /resume (SIGSTOP / SIGCONT; 409 when the pod
//     is not in a state for it), GET / PUT / DELETE services/{name}/fault (the proxy's fault).
// Called from the API's handler threads; thread-safe.
#pragma once

#include "common/http/server.h"
#include "targets/local/api/kube/kube_renderer.h"
#include "targets/local/api/kube/kube_router.h"
#include "targets/local/api/kube/kube_store.h"
#include "targets/local/runtime/runtime.h"

namespace stampede::local::kube {

// The writes (see above). Holds references only; thread-safe.
class KubeActions {
 public:
  // Everything must outlive the actions; `renderer` is used on the control thread only.
  KubeActions(Runtime& runtime, ObjectStore& store, KubeRenderer& renderer)
      : rt_(runtime), store_(store), renderer_(renderer) {}

  http::Reply delete_pod(const http::Request& request, const KubeRequest& r, const Route& route);
  // PATCH or PUT of deployments/{name} or deployments/{name}/scale.
  http::Reply write_deployment(const http::Request& request, const KubeRequest& r,
                               const Route& route);
  // POST pods/{name}/pause or /resume.
  http::Reply pause_resume(const http::Request& request, const Route& route);
  // GET, PUT or DELETE services/{name}/fault.
  http::Reply service_fault(const http::Request& request, const KubeRequest& r, const Route& route);

 private:
  Runtime& rt_;
  ObjectStore& store_;
  KubeRenderer& renderer_;
};

}  // namespace stampede::local::kube
