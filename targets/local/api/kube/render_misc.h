// The smaller objects of the local Kubernetes API: the one Namespace (default), the one Secret
// (admin-token: the shop's admin token, as the chart's <fullname>-admin-token Secret holds it on a
// cluster) and the metrics.k8s.io PodMetrics (CPU from the runtime's sampling as nanocores,
// memory from /proc/<pid>/status VmRSS) that `kubectl top pod` reads. Control thread only for
// the metrics (they read the runtime); the others are pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "targets/local/api/kube/render_context.h"
#include "targets/local/runtime/runtime.h"

namespace stampede::local::kube {

nlohmann::json render_namespace(const RenderContext& ctx);
nlohmann::json render_admin_secret(const RenderContext& ctx);
// PodMetrics of every running pod with a CPU sample, as of `now_ns`.
std::vector<nlohmann::json> render_pod_metrics(const RenderContext& ctx, const Runtime& rt,
                                               int64_t now_ns);
// A pid's resident memory in bytes (VmRSS); -1 when unknown.
int64_t resident_bytes(int pid);

}  // namespace stampede::local::kube
