#include "targets/local/api/kube/render_misc.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/read_file.h"
#include "targets/kubernetes/base64.h"
#include "targets/local/api/kube/render_pod.h"

namespace stampede::local::kube {

using nlohmann::json;

namespace {

// Go's time.Duration text of a window: "15s", "2.5s", "1m0s".
std::string window_text(double seconds) {
  char buf[32];
  if (seconds < 60) {
    std::snprintf(buf, sizeof(buf), "%gs", seconds);
  } else {
    long long whole = std::llround(seconds);
    std::snprintf(buf, sizeof(buf), "%lldm%llds", whole / 60, whole % 60);
  }
  return buf;
}

}  // namespace

json render_namespace(const RenderContext& ctx) {
  json meta = {{"name", kNamespace},
               {"uid", ctx.uid("Namespace", kNamespace)},
               {"creationTimestamp", ctx.time(ctx.started_ns)},
               {"labels", {{"kubernetes.io/metadata.name", kNamespace}}}};
  return {{"kind", "Namespace"},
          {"apiVersion", "v1"},
          {"metadata", meta},
          {"spec", {{"finalizers", json::array({"kubernetes"})}}},
          {"status", {{"phase", "Active"}}}};
}

json render_admin_secret(const RenderContext& ctx) {
  json meta = ctx.metadata("Secret", kAdminSecret, ctx.started_ns);
  meta["labels"] = {{"app.kubernetes.io/component", "admin-token"}};
  return {{"kind", "Secret"},
          {"apiVersion", "v1"},
          {"metadata", meta},
          {"type", "Opaque"},
          {"data", {{"admin-token", stampede::kube::base64_encode(ctx.admin_token)}}}};
}

int64_t resident_bytes(int pid) {
  auto text = read_text_file("/proc/" + std::to_string(pid) + "/status");
  if (!text.ok()) return -1;
  size_t at = text.value().find("\nVmRSS:");
  if (at == std::string::npos) return -1;
  long long kb = std::strtoll(text.value().c_str() + at + 7, nullptr, 10);
  return static_cast<int64_t>(kb) * 1024;
}

std::vector<json> render_pod_metrics(const RenderContext& ctx, const Runtime& rt, int64_t now_ns) {
  std::vector<json> out;
  const std::string window = window_text(rt.options().values.local.cpu_window_seconds);
  for (const auto& d : rt.deployments()) {
    for (const auto& pod : d->pods()) {
      if (pod->pid() <= 0) continue;
      double millicores = rt.pod_cpu_millicores(pod->name());
      if (millicores < 0) continue;  // no sample yet: metrics-server leaves such pods out too
      int64_t memory = resident_bytes(pod->pid());
      json usage = {{"cpu", std::to_string(std::llround(millicores * 1e6)) + "n"},
                    {"memory", std::to_string(memory < 0 ? 0 : memory / 1024) + "Ki"}};
      json meta = {{"name", pod->name()},
                   {"namespace", kNamespace},
                   {"creationTimestamp", ctx.time(now_ns)},
                   {"labels", pod_labels(d->name(), pod->hash())}};
      out.push_back({{"kind", "PodMetrics"},
                     {"apiVersion", "metrics.k8s.io/v1beta1"},
                     {"metadata", meta},
                     {"timestamp", ctx.time(now_ns)},
                     {"window", window},
                     {"containers", json::array({{{"name", d->name()}, {"usage", usage}}})}});
    }
  }
  return out;
}

}  // namespace stampede::local::kube
