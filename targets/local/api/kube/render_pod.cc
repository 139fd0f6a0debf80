#include "targets/local/api/kube/render_pod.h"

#include <cmath>

#include "targets/local/api/kube/render_container.h"

namespace stampede::local::kube {

using nlohmann::json;

namespace {

// Go's time.Duration text for whole seconds, as the kubelet prints back-offs: "10s", "5m0s".
std::string go_duration(int64_t seconds) {
  if (seconds < 60) return std::to_string(seconds) + "s";
  std::string out;
  if (seconds >= 3600) out += std::to_string(seconds / 3600) + "h";
  out += std::to_string(seconds / 60 % 60) + "m" + std::to_string(seconds % 60) + "s";
  return out;
}

json condition(const std::string& type, bool status, const std::string& since) {
  return {{"type", type},
          {"status", status ? "True" : "False"},
          {"lastProbeTime", nullptr},
          {"lastTransitionTime", since}};
}

json container_status(const RenderContext& ctx, const LocalRuntimeSpec& local, const Pod& pod) {
  const DeploymentSpec& spec = pod.spec();
  json cs = {{"name", spec.name},
             {"ready", pod.ready()},
             {"started", pod.pid() > 0 && pod.started()},
             {"restartCount", pod.restarts()},
             {"image", image_of(spec)},
             {"imageID", image_id_of(spec, local)}};
  const std::optional<LastExit>& exit = pod.last_exit();
  bool terminated = false;
  if (pod.pid() > 0) {
    cs["state"] = {{"running", {{"startedAt", ctx.time(pod.container_started_ns())}}}};
    cs["containerID"] = "local://" + std::to_string(pod.pid());
  } else if (pod.phase() == "Pending") {
    cs["state"] = {{"waiting", {{"reason", "ContainerCreating"}}}};
  } else if (pod.state() == "crash-loop-backoff" && exit) {
    int64_t delay = std::llround(static_cast<double>(pod.restart_at_ns() - exit->at_ns) / 1e9);
    cs["state"] = {
        {"waiting",
         {{"reason", "CrashLoopBackOff"},
          {"message", "back-off " + go_duration(delay) +
                          " restarting failed container=" + spec.name + " pod=" + pod.name() + "_" +
                          kNamespace + "(" + ctx.uid("Pod", pod.name()) + ")"}}}};
    cs["containerID"] = "local://" + std::to_string(exit->pid);
  } else if (exit) {
    cs["state"] = {{"terminated", terminated_state(ctx, *exit)}};
    cs["containerID"] = "local://" + std::to_string(exit->pid);
    terminated = true;
  } else {
    cs["state"] = {{"waiting", {{"reason", "ContainerCreating"}}}};
  }
  cs["lastState"] = json::object();
  if (exit && !terminated) cs["lastState"] = {{"terminated", terminated_state(ctx, *exit)}};
  return cs;
}

}  // namespace

json pod_labels(const std::string& deployment, const std::string& hash) {
  return {{"app", deployment},
          {"app.kubernetes.io/component", deployment},
          {"pod-template-hash", hash}};
}

json terminated_state(const RenderContext& ctx, const LastExit& exit) {
  // A process killed by a signal exits, to Kubernetes, with 128 + the signal (SIGKILL: 137).
  int code = exit.status.signal > 0 ? 128 + exit.status.signal : exit.status.code;
  json t = {{"exitCode", code},
            {"reason", code == 0 ? "Completed" : "Error"},
            {"startedAt", ctx.time(exit.started_ns)},
            {"finishedAt", ctx.time(exit.at_ns)},
            {"containerID", "local://" + std::to_string(exit.pid)}};
  if (exit.status.signal > 0) t["signal"] = exit.status.signal;
  return t;
}

json render_pod(const RenderContext& ctx, const LocalRuntimeSpec& local, const Pod& pod) {
  const DeploymentSpec& spec = pod.spec();
  const std::string rs = replica_set_name(spec.name, pod.hash());
  json meta = ctx.metadata("Pod", pod.name(), pod.created_ns());
  meta["generateName"] = rs + "-";
  meta["labels"] = pod_labels(spec.name, pod.hash());
  meta["ownerReferences"] = json::array({{{"apiVersion", "apps/v1"},
                                          {"kind", "ReplicaSet"},
                                          {"name", rs},
                                          {"uid", ctx.uid("ReplicaSet", rs)},
                                          {"controller", true},
                                          {"blockOwnerDeletion", true}}});
  if (pod.paused()) meta["annotations"] = {{"local.stampede.dev/paused", "true"}};
  if (pod.deleting()) {
    // The time after which the pod is gone: the deletion plus its grace period.
    meta["deletionTimestamp"] =
        ctx.time(pod.deletion_ns() + int64_t{pod.deletion_grace_seconds()} * 1'000'000'000);
    meta["deletionGracePeriodSeconds"] = pod.deletion_grace_seconds();
  }
  json pod_spec = {{"containers", json::array({container_object(spec, &pod)})},
                   {"restartPolicy", "Always"},
                   {"terminationGracePeriodSeconds", spec.termination_grace_period_seconds},
                   {"dnsPolicy", "ClusterFirst"},
                   {"nodeName", kNodeName},
                   {"schedulerName", "default-scheduler"},
                   {"serviceAccountName", "default"},
                   {"securityContext", json::object()},
                   {"enableServiceLinks", true},
                   {"priority", 0}};

  bool pending = pod.phase() == "Pending";
  std::string phase = "Running";
  if (pending) {
    phase = "Pending";
  } else if (pod.deleting() && pod.pid() < 0) {
    const auto& exit = pod.last_exit();
    phase = exit && exit->status.code == 0 && exit->status.signal == 0 ? "Succeeded" : "Failed";
  }
  const std::string created = ctx.time(pod.created_ns());
  const std::string ready_since =
      ctx.time(pod.ready_changed_ns() > 0 ? pod.ready_changed_ns() : pod.created_ns());
  json ready = condition("Ready", pod.ready(), ready_since);
  json containers_ready = condition("ContainersReady", pod.ready(), ready_since);
  if (!pod.ready()) {
    for (json* c : {&ready, &containers_ready}) {
      (*c)["reason"] = "ContainersNotReady";
      (*c)["message"] = "containers with unready status: [" + spec.name + "]";
    }
  }
  json conditions = json::array({condition("Initialized", true, created), ready, containers_ready,
                                 condition("PodScheduled", true, created)});
  // A paused pod (SIGSTOP) says so with a condition of the extension group's, as a readiness gate
  // would; it has no transition time of its own to keep stable, so none is given.
  if (pod.paused()) {
    conditions.push_back({{"type", "local.stampede.dev/Paused"},
                          {"status", "True"},
                          {"reason", "Paused"},
                          {"message", "the container's processes are stopped (SIGSTOP)"}});
  }
  json ips = json::array({{{"ip", kLocalIp}}});
  json status = {{"phase", phase},
                 {"conditions", conditions},
                 {"hostIP", kLocalIp},
                 {"hostIPs", ips},
                 {"podIP", kLocalIp},
                 {"podIPs", ips},
                 {"startTime", created},
                 {"containerStatuses", json::array({container_status(ctx, local, pod)})},
                 {"qosClass", qos_class(spec)}};
  return {{"kind", "Pod"},
          {"apiVersion", "v1"},
          {"metadata", meta},
          {"spec", pod_spec},
          {"status", status}};
}

}  // namespace stampede::local::kube
