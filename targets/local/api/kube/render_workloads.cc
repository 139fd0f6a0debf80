#include "targets/local/api/kube/render_workloads.h"

#include <algorithm>
#include <set>

#include "targets/local/api/kube/render_container.h"
#include "targets/local/api/kube/render_pod.h"

namespace stampede::local::kube {

using nlohmann::json;

namespace {

json int_or_percent(const IntOrPercent& v) {
  if (v.percent) return std::to_string(v.value) + "%";
  return v.value;
}

json app_labels(const std::string& name) {
  return {{"app", name}, {"app.kubernetes.io/component", name}};
}

// Kubernetes leaves zero counts out of workload statuses (omitempty).
void set_count(json& status, const char* key, int value) {
  if (value != 0) status[key] = value;
}

json owner(const RenderContext& ctx, const std::string& kind, const std::string& name) {
  return json::array({{{"apiVersion", "apps/v1"},
                       {"kind", kind},
                       {"name", name},
                       {"uid", ctx.uid(kind, name)},
                       {"controller", true},
                       {"blockOwnerDeletion", true}}});
}

}  // namespace

json pod_template(const Deployment& d, const std::map<std::string, std::string>& annotations,
                  const std::string& hash) {
  const DeploymentSpec& spec = d.spec();
  json meta = {{"labels", hash.empty() ? app_labels(d.name()) : pod_labels(d.name(), hash)}};
  if (!annotations.empty()) meta["annotations"] = annotations;
  return {{"metadata", meta},
          {"spec",
           {{"containers", json::array({container_object(spec, nullptr)})},
            {"restartPolicy", "Always"},
            {"terminationGracePeriodSeconds", spec.termination_grace_period_seconds},
            {"dnsPolicy", "ClusterFirst"},
            {"schedulerName", "default-scheduler"},
            {"securityContext", json::object()}}}};
}

json WorkloadRenderer::deployment(const RenderContext& ctx, const Deployment& d, int64_t now_ns) {
  const DeploymentSpec& spec = d.spec();
  json dspec = {{"replicas", d.replicas()},
                {"selector", {{"matchLabels", {{"app", d.name()}}}}},
                {"template", pod_template(d, d.template_annotations(), "")},
                {"strategy",
                 {{"type", "RollingUpdate"},
                  {"rollingUpdate",
                   {{"maxSurge", int_or_percent(spec.max_surge)},
                    {"maxUnavailable", int_or_percent(spec.max_unavailable)}}}}},
                {"minReadySeconds", spec.min_ready_seconds},
                {"revisionHistoryLimit", 10},
                {"progressDeadlineSeconds", 600}};
  // metadata.generation moves with every change of the spec, as the API server does it.
  DeploymentTrack& track = deployments_[d.name()];
  if (track.generation == 0 || track.spec != dspec) {
    ++track.generation;
    track.spec = dspec;
  }
  json meta = ctx.metadata("Deployment", d.name(), ctx.started_ns);
  meta["generation"] = track.generation;
  meta["labels"] = app_labels(d.name());
  meta["annotations"] = {{"deployment.kubernetes.io/revision", std::to_string(d.revision())}};

  const int current = d.current(), updated = d.updated(), ready = d.ready();
  const int available = d.available();
  auto [surge, max_unavailable] =
      resolve_fenceposts(spec.max_surge, spec.max_unavailable, d.replicas());
  (void)surge;
  json status = {{"observedGeneration", track.generation}};
  set_count(status, "replicas", current);
  set_count(status, "updatedReplicas", updated);
  set_count(status, "readyReplicas", ready);
  set_count(status, "availableReplicas", available);
  set_count(status, "unavailableReplicas", std::max(0, current - available));
  const std::string rs = replica_set_name(d.name(), d.template_hash());
  bool has_min = available >= d.replicas() - max_unavailable;
  bool complete = updated == d.replicas() && current == d.replicas() && available == d.replicas();
  std::string progressing = complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated";
  std::string available_since =
      ctx.time(conditions_.since(d.name() + "/Available", has_min ? "True" : "False", now_ns));
  std::string progressing_since =
      ctx.time(conditions_.since(d.name() + "/Progressing", progressing + rs, now_ns));
  status["conditions"] =
      json::array({{{"type", "Available"},
                    {"status", has_min ? "True" : "False"},
                    {"reason", has_min ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"},
                    {"message", has_min ? "Deployment has minimum availability."
                                        : "Deployment does not have minimum availability."},
                    {"lastUpdateTime", available_since},
                    {"lastTransitionTime", available_since}},
                   {{"type", "Progressing"},
                    {"status", "True"},
                    {"reason", progressing},
                    {"message", complete ? "ReplicaSet \"" + rs + "\" has successfully progressed."
                                         : "ReplicaSet \"" + rs + "\" is progressing."},
                    {"lastUpdateTime", progressing_since},
                    {"lastTransitionTime", ctx.time(ctx.started_ns)}}});
  return {{"kind", "Deployment"},
          {"apiVersion", "apps/v1"},
          {"metadata", meta},
          {"spec", dspec},
          {"status", status}};
}

void WorkloadRenderer::render(const RenderContext& ctx, const Runtime& rt, int64_t now_ns,
                              std::vector<json>& deployments, std::vector<json>& replica_sets) {
  for (const auto& dp : rt.deployments()) {
    const Deployment& d = *dp;
    deployments.push_back(deployment(ctx, d, now_ns));
    // The current template's ReplicaSet, and every older one that still has pods.
    std::set<std::string> hashes = {d.template_hash()};
    for (const auto& p : d.pods()) hashes.insert(p->hash());
    auto [surge, unavailable] =
        resolve_fenceposts(d.spec().max_surge, d.spec().max_unavailable, d.replicas());
    (void)unavailable;
    for (const std::string& hash : hashes) {
      const std::string name = replica_set_name(d.name(), hash);
      bool current_template = hash == d.template_hash();
      auto [it, fresh] = replica_sets_.try_emplace(name);
      ReplicaSetTrack& track = it->second;
      if (fresh) {
        track.first_seen_ns = current_template && d.revision() == 1 ? ctx.started_ns : now_ns;
        track.revision = d.revision();
        track.annotations = d.template_annotations();
      }
      if (current_template) track.revision = d.revision();
      int pods = 0, ready = 0, available = 0;
      for (const auto& p : d.pods()) {
        if (p->hash() != hash || p->deleting()) continue;
        ++pods;
        if (p->ready()) ++ready;
        if (p->available(now_ns, d.spec().min_ready_seconds)) ++available;
      }
      int desired = current_template && !d.rollout_in_progress() ? d.replicas() : pods;
      json meta = ctx.metadata("ReplicaSet", name, track.first_seen_ns);
      meta["generation"] = 1;
      meta["labels"] = pod_labels(d.name(), hash);
      meta["annotations"] = {
          {"deployment.kubernetes.io/desired-replicas", std::to_string(d.replicas())},
          {"deployment.kubernetes.io/max-replicas", std::to_string(d.replicas() + surge)},
          {"deployment.kubernetes.io/revision", std::to_string(track.revision)}};
      meta["ownerReferences"] = owner(ctx, "Deployment", d.name());
      json status = {{"replicas", pods}, {"observedGeneration", 1}};
      set_count(status, "fullyLabeledReplicas", pods);
      set_count(status, "readyReplicas", ready);
      set_count(status, "availableReplicas", available);
      replica_sets.push_back(
          {{"kind", "ReplicaSet"},
           {"apiVersion", "apps/v1"},
           {"metadata", meta},
           {"spec",
            {{"replicas", desired},
             {"minReadySeconds", d.spec().min_ready_seconds},
             {"selector", {{"matchLabels", {{"app", d.name()}, {"pod-template-hash", hash}}}}},
             {"template", pod_template(d, track.annotations, hash)}}},
           {"status", status}});
    }
  }
}

json scale_of(const json& deployment) {
  const json& meta = deployment["metadata"];
  json m = {{"name", meta["name"]},
            {"namespace", meta["namespace"]},
            {"uid", meta["uid"]},
            {"resourceVersion", meta["resourceVersion"]},
            {"creationTimestamp", meta["creationTimestamp"]}};
  std::string selector;
  for (const auto& [k, v] : deployment["spec"]["selector"]["matchLabels"].items()) {
    selector += (selector.empty() ? "" : ",") + k + "=" + v.get<std::string>();
  }
  return {{"kind", "Scale"},
          {"apiVersion", "autoscaling/v1"},
          {"metadata", m},
          {"spec", {{"replicas", deployment["spec"]["replicas"]}}},
          {"status",
           {{"replicas", deployment["status"].value("replicas", 0)}, {"selector", selector}}}};
}

}  // namespace stampede::local::kube
