#include "engine/platform/kube_changes.h"

#include <algorithm>

#include "targets/kubernetes/kube_json.h"

namespace stampede {
namespace {

using kube_json::at;
using kube_json::integer;
using kube_json::str;
using nlohmann::json;

// The condition `type` of a status.conditions list, or null.
const json& condition(const json& status, const std::string& type) {
  static const json kNull;
  const json& list = at(status, "conditions");
  if (!list.is_array()) return kNull;
  for (const json& c : list) {
    if (str(c, "type") == type) return c;
  }
  return kNull;
}

// "Error, exit code 137" for a containerStatuses[].state.terminated / lastState.terminated.
std::string exit_text(const json& terminated) {
  std::string out = str(terminated, "reason");
  if (at(terminated, "exitCode").is_number_integer()) {
    out += (out.empty() ? "" : ", ") + std::string("exit code ") +
           std::to_string(at(terminated, "exitCode").get<int64_t>());
  }
  return out;
}

std::string uid_or_name(const json& object) {
  const json& meta = at(object, "metadata");
  std::string uid = str(meta, "uid");
  return uid.empty() ? str(meta, "name") : uid;
}

}  // namespace

void KubeChangeLog::add(Nanos observed, std::string kind, std::string deployment, std::string pod,
                        std::string detail, std::string server_time) {
  if (baseline_) return;
  PlatformEventRecord r;
  r.seq = next_seq_++;
  r.mono_ns = observed;
  r.kind = std::move(kind);
  r.deployment = std::move(deployment);
  r.pod = std::move(pod);
  r.detail = std::move(detail);
  r.server_time = std::move(server_time);
  records_.push_back(std::move(r));
  while (records_.size() > capacity_) records_.pop_front();
}

void KubeChangeLog::on_list(Kind kind, const std::vector<json>& items, Nanos observed) {
  baseline_ = listed_.insert(kind).second;
  std::set<std::string> present;
  for (const json& item : items) {
    present.insert(kind == Kind::kEvent ? uid_or_name(item) : str(at(item, "metadata"), "name"));
    on_event(kind, "ADDED", item, observed);
  }
  // After a re-list, what is no longer there was deleted while we were not watching.
  auto vanish = [&](auto& known, auto deleted) {
    std::vector<std::string> gone;
    for (const auto& [name, snap] : known) {
      if (present.count(name) == 0) gone.push_back(name);
    }
    for (const std::string& name : gone) deleted(name);
  };
  if (kind == Kind::kPod) {
    vanish(pods_, [&](const std::string& name) {
      add(observed, "pod-deleted", pods_[name].deployment, name, "");
      pods_.erase(name);
    });
  } else if (kind == Kind::kDeployment) {
    vanish(deployments_, [&](const std::string& name) { deployments_.erase(name); });
  } else if (kind == Kind::kHpa) {
    vanish(hpas_, [&](const std::string& name) { hpas_.erase(name); });
  }
  baseline_ = false;
}

void KubeChangeLog::on_event(Kind kind, const std::string& type, const json& object,
                             Nanos observed) {
  if (type != "ADDED" && type != "MODIFIED" && type != "DELETED") return;
  bool deleted = type == "DELETED";
  switch (kind) {
    case Kind::kPod:
      return pod(object, deleted, observed);
    case Kind::kDeployment:
      return deployment(object, deleted, observed);
    case Kind::kHpa:
      return hpa(object, deleted, observed);
    case Kind::kEvent:
      if (!deleted) event(object, observed);
      return;
  }
}

void KubeChangeLog::pod(const json& object, bool deleted, Nanos observed) {
  const json& meta = at(object, "metadata");
  std::string name = str(meta, "name");
  if (name.empty()) return;
  auto known = pods_.find(name);
  if (deleted) {
    if (known != pods_.end()) {
      add(observed, "pod-deleted", known->second.deployment, name, "");
      pods_.erase(known);
    }
    return;
  }
  const json& status = at(object, "status");
  PodSnap now;
  now.deployment = names_.shorten(pod_deployment(object));
  const json& ready = condition(status, "Ready");
  now.ready = str(ready, "status") == "True";
  now.paused = str(condition(status, "local.stampede.dev/Paused"), "status") == "True";
  now.deleting = at(meta, "deletionTimestamp").is_string();
  std::string last_exit, last_exit_at, exit, exit_at;
  const json& statuses = at(status, "containerStatuses");
  if (statuses.is_array()) {
    for (const json& c : statuses) {
      now.restarts += integer(c, "restartCount", 0);
      const json& state = at(c, "state");
      if (at(state, "terminated").is_object()) {
        now.terminated = true;
        exit = exit_text(at(state, "terminated"));
        exit_at = str(at(state, "terminated"), "finishedAt");
      }
      std::string waiting = str(at(state, "waiting"), "reason");
      if (!waiting.empty()) now.waiting = waiting;
      const json& last = at(at(c, "lastState"), "terminated");
      if (last.is_object()) {
        last_exit = exit_text(last);
        last_exit_at = str(last, "finishedAt");
      }
    }
  }
  const std::string& dep = now.deployment;
  if (known == pods_.end()) {
    pods_[name] = now;
    add(observed, "pod-created", dep, name, "", str(meta, "creationTimestamp"));
    if (now.ready) add(observed, "pod-ready", dep, name, "", str(ready, "lastTransitionTime"));
    return;
  }
  PodSnap before = known->second;
  known->second = now;
  if (now.deleting && !before.deleting) {
    const json& grace = at(meta, "deletionGracePeriodSeconds");
    add(observed, "pod-terminated", dep, name,
        grace.is_number_integer() ? "grace period " + std::to_string(grace.get<int64_t>()) + "s"
                                  : std::string());
  }
  if (now.terminated && !before.terminated) add(observed, "pod-exited", dep, name, exit, exit_at);
  if (now.restarts > before.restarts) {
    add(observed, "pod-restarted", dep, name,
        "restart " + std::to_string(now.restarts) +
            (last_exit.empty() ? std::string() : " (last exit: " + last_exit + ")"),
        last_exit_at);
  }
  if (now.waiting == "CrashLoopBackOff" && before.waiting != "CrashLoopBackOff") {
    add(observed, "crash-loop-backoff", dep, name, "");
  }
  if (now.paused != before.paused)
    add(observed, now.paused ? "pod-paused" : "pod-resumed", dep, name, "");
  if (now.ready != before.ready) {
    add(observed, now.ready ? "pod-ready" : "pod-unready", dep, name, str(ready, "reason"),
        str(ready, "lastTransitionTime"));
  }
}

void KubeChangeLog::deployment(const json& object, bool deleted, Nanos observed) {
  const json& meta = at(object, "metadata");
  std::string full = str(meta, "name");
  if (full.empty()) return;
  if (deleted) {
    deployments_.erase(full);
    return;
  }
  std::string name = names_.shorten(full);
  const json& spec = at(object, "spec");
  const json& status = at(object, "status");
  DeploymentSnap now;
  now.replicas = integer(spec, "replicas", 1);
  now.pod_template = at(spec, "template").dump();
  int64_t updated = integer(status, "updatedReplicas", 0);
  int64_t current = integer(status, "replicas", 0);
  int64_t available = integer(status, "availableReplicas", 0);
  bool observed_gen = integer(status, "observedGeneration", 0) >= integer(meta, "generation", 0);
  now.complete =
      observed_gen && updated >= now.replicas && current <= updated && available >= updated;
  auto known = deployments_.find(full);
  if (known == deployments_.end()) {
    now.rolling = !now.complete && !baseline_;
    deployments_[full] = now;
    return;
  }
  DeploymentSnap before = known->second;
  now.rolling = before.rolling;
  if (now.replicas != before.replicas) {
    add(observed, "scaled", name, "",
        std::to_string(before.replicas) + " -> " + std::to_string(now.replicas));
  }
  if (now.pod_template != before.pod_template) {
    now.rolling = true;
    std::string revision = str(at(meta, "annotations"), "deployment.kubernetes.io/revision");
    add(observed, "rollout-started", name, "", revision.empty() ? "" : "revision " + revision);
  }
  if (now.rolling && now.complete) {
    now.rolling = false;
    add(observed, "rollout-finished", name, "",
        std::to_string(available) + " of " + std::to_string(now.replicas) + " available");
  }
  known->second = now;
}

void KubeChangeLog::hpa(const json& object, bool deleted, Nanos observed) {
  std::string name = str(at(object, "metadata"), "name");
  if (name.empty()) return;
  if (deleted) {
    hpas_.erase(name);
    return;
  }
  HpaSnap now;
  const json& status = at(object, "status");
  now.desired = integer(status, "desiredReplicas", integer(status, "currentReplicas", 0));
  now.deployment = names_.shorten(str(at(at(object, "spec"), "scaleTargetRef"), "name"));
  auto known = hpas_.find(name);
  if (known != hpas_.end() && known->second.desired != now.desired) {
    std::string why;
    const json& able = condition(status, "AbleToScale");
    if (!str(able, "message").empty()) why = " (" + str(able, "message") + ")";
    add(observed, "hpa-scaled", now.deployment, "",
        std::to_string(known->second.desired) + " -> " + std::to_string(now.desired) + why,
        str(status, "lastScaleTime"));
  }
  hpas_[name] = now;
}

void KubeChangeLog::event(const json& object, Nanos observed) {
  std::string key = uid_or_name(object);
  if (key.empty()) return;
  int64_t count = integer(object, "count", 1);
  auto known = events_.find(key);
  if (known != events_.end() && known->second >= count) return;
  if (known == events_.end()) event_order_.push_back(key);
  events_[key] = count;
  while (events_.size() > capacity_ && !event_order_.empty()) {
    events_.erase(event_order_.front());  // the oldest seen, so a re-list never revives it
    event_order_.pop_front();
  }
  const json& involved = at(object, "involvedObject");
  std::string kind = str(involved, "kind");
  std::string name = str(involved, "name");
  std::string deployment, pod;
  if (kind == "Pod") {
    pod = name;
    auto p = pods_.find(name);
    if (p != pods_.end()) deployment = p->second.deployment;
  } else if (kind == "Deployment") {
    deployment = names_.shorten(name);
  } else if (kind == "ReplicaSet") {
    size_t dash = name.rfind('-');
    deployment = names_.shorten(dash == std::string::npos ? name : name.substr(0, dash));
  } else if (kind == "HorizontalPodAutoscaler") {
    auto h = hpas_.find(name);
    deployment = h != hpas_.end() ? h->second.deployment : names_.shorten(name);
  } else if (kind == "Service") {
    deployment = names_.shorten(name);
  }
  std::string reason = str(object, "reason");
  std::string message = str(object, "message");
  // The time of this occurrence: a repeated event's last one (series or lastTimestamp), else
  // its eventTime (a MicroTime) or lastTimestamp.
  std::string when = str(at(object, "series"), "lastObservedTime");
  if (when.empty() && count > 1) when = str(object, "lastTimestamp");
  if (when.empty()) when = str(object, "eventTime");
  if (when.empty()) when = str(object, "lastTimestamp");
  if (reason == "Unhealthy") {
    add(observed, "probe-failed", deployment, pod, message, when);
  } else if (reason == "FaultSet" || reason == "FaultCleared") {
    add(observed, reason == "FaultSet" ? "fault-set" : "fault-cleared", deployment, pod, message,
        when);
  } else {
    std::string type = str(object, "type");
    add(observed, "event", deployment, pod,
        (type == "Warning" ? "Warning " : "") + reason + ": " + message, when);
  }
}

EventBatch KubeChangeLog::since(int64_t cursor) const {
  EventBatch batch;
  batch.next = next_seq_;
  for (const PlatformEventRecord& r : records_) {
    if (r.seq >= cursor) batch.events.push_back(r);
  }
  return batch;
}

}  // namespace stampede
