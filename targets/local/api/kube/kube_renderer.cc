#include "targets/local/api/kube/kube_renderer.h"

#include "targets/local/api/kube/render_misc.h"
#include "targets/local/api/kube/render_pod.h"
#include "targets/local/api/kube/render_service.h"
#include "targets/local/runtime/clock.h"

namespace stampede::local::kube {

using nlohmann::json;

namespace {

constexpr int64_t kSecondNs = 1'000'000'000;

}  // namespace

KubeRenderer::KubeRenderer(Runtime& runtime, ObjectStore& store, LogIndex& logs, RenderContext ctx)
    : rt_(runtime), store_(store), logs_(logs), ctx_(std::move(ctx)) {}

uint64_t KubeRenderer::hpa_syncs() const {
  uint64_t n = 0;
  for (const auto& d : rt_.deployments()) {
    if (const HpaRunner* hpa = rt_.hpa(d->name())) n += hpa->syncs();
  }
  return n;
}

void KubeRenderer::observe() {
  int64_t now = mono_now_ns();
  uint64_t seq = rt_.events().next_seq();
  uint64_t syncs = hpa_syncs();
  if (seq == seen_seq_ && syncs == seen_syncs_ && now - rendered_ns_ < kSecondNs) return;
  render(now);
}

void KubeRenderer::render_now() {
  render(mono_now_ns());
}

void KubeRenderer::render(int64_t now_ns) {
  seen_seq_ = rt_.events().next_seq();
  seen_syncs_ = hpa_syncs();
  rendered_ns_ = now_ns;
  const LocalRuntimeSpec& local = rt_.options().values.local;
  std::vector<json> pods, deployments, replica_sets, services, endpoints, slices, hpas;
  std::map<std::string, PodLogInfo> logs;
  for (const auto& d : rt_.deployments()) {
    for (const auto& pod : d->pods()) {
      pods.push_back(render_pod(ctx_, local, *pod));
      PodLogInfo info;
      info.path = pod->log_path();
      info.container = d->name();
      info.offset = pod->log_offset();
      info.previous_offset = pod->previous_log_offset();
      info.started = pod->phase() != "Pending";
      info.running = pod->pid() > 0;
      info.restarts = pod->restarts();
      logs[pod->name()] = info;
    }
    json service = render_service(ctx_, rt_, *d);
    if (!service.is_null()) {
      services.push_back(std::move(service));
      endpoints.push_back(render_endpoints(ctx_, rt_, *d));
      for (json& slice : render_endpoint_slices(ctx_, rt_, *d)) slices.push_back(std::move(slice));
    }
    json hpa = hpas_.render(ctx_, rt_, *d, now_ns);
    if (!hpa.is_null()) hpas.push_back(std::move(hpa));
  }
  workloads_.render(ctx_, rt_, now_ns, deployments, replica_sets);
  // Logs first: a watcher that sees a pod's new container can read its output at once.
  logs_.set(std::move(logs));
  store_.replace("namespaces", {render_namespace(ctx_)});
  store_.replace("secrets", {render_admin_secret(ctx_)});
  store_.replace("deployments", std::move(deployments));
  store_.replace("replicasets", std::move(replica_sets));
  store_.replace("pods", std::move(pods));
  store_.replace("services", std::move(services));
  store_.replace("endpoints", std::move(endpoints));
  store_.replace("endpointslices", std::move(slices));
  store_.replace("horizontalpodautoscalers", std::move(hpas));
  events_.update(ctx_, rt_, store_);
  // Metrics change with every CPU sample (once a second): refreshed at most that often.
  if (now_ns - metrics_ns_ >= kSecondNs) {
    metrics_ns_ = now_ns;
    store_.set_unversioned("podmetrics", render_pod_metrics(ctx_, rt_, now_ns));
  }
}

}  // namespace stampede::local::kube
