// A deployment's Service (its local proxy) as a core/v1 Service — type ClusterIP, clusterIP
// 127.0.0.1, one port: the proxy's loopback port, targetPort the container port's name, selector
// app — and its Endpoints: one subset per pod (every pod listens on its own loopback port),
// Ready pods in `addresses`, the others in `notReadyAddresses`, each with a targetRef to its pod;
// and the same as discovery.k8s.io/v1 EndpointSlices (one per pod, for the same reason; a
// terminating pod stays with conditions terminating, not ready).
// A Service fault set through the API shows as the annotation local.stampede.dev/fault.
// Control thread only (reads the runtime).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "targets/local/api/kube/render_context.h"
#include "targets/local/runtime/runtime.h"

namespace stampede::local::kube {

// Null when the deployment has no Service.
nlohmann::json render_service(const RenderContext& ctx, const Runtime& rt, const Deployment& d);
nlohmann::json render_endpoints(const RenderContext& ctx, const Runtime& rt, const Deployment& d);
std::vector<nlohmann::json> render_endpoint_slices(const RenderContext& ctx, const Runtime& rt,
                                                   const Deployment& d);

}  // namespace stampede::local::kube
