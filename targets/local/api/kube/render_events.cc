#include "targets/local/api/kube/render_events.h"

#include <cstdio>
#include <cstdlib>

namespace stampede::local::kube {

using nlohmann::json;

namespace {

KubeEvent pod_event(const Event& e, const char* type, const char* reason, std::string message,
                    const char* component, bool container) {
  KubeEvent k;
  k.kind = "Pod";
  k.name = e.pod;
  k.api_version = "v1";
  if (container) k.field_path = "spec.containers{" + e.deployment + "}";
  k.type = type;
  k.reason = reason;
  k.message = std::move(message);
  k.component = component;
  k.from_node = std::string(component) == "kubelet";
  return k;
}

KubeEvent object_event(const char* kind, std::string name, const char* api_version,
                       const char* reason, std::string message, const char* component) {
  KubeEvent k;
  k.kind = kind;
  k.name = std::move(name);
  k.api_version = api_version;
  k.reason = reason;
  k.message = std::move(message);
  k.component = component;
  return k;
}

// "2 -> 4" or "2 -> 4: why" in a scaled event's detail.
bool parse_scale(const std::string& detail, int& from, int& to) {
  return std::sscanf(detail.c_str(), "%d -> %d", &from, &to) == 2;
}

std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace

std::vector<KubeEvent> translate_event(const Event& e, const EventFacts& facts) {
  std::vector<KubeEvent> out;
  const std::string& c = e.deployment;  // the container is named after its service
  const std::string& kind = e.kind;
  if (kind == "pod-created") {
    std::string hash = e.detail.rfind("template ", 0) == 0 ? e.detail.substr(9) : "";
    out.push_back(object_event("ReplicaSet", replica_set_name(c, hash), "apps/v1",
                               "SuccessfulCreate", "Created pod: " + e.pod,
                               "replicaset-controller"));
    out.push_back(pod_event(
        e, "Normal", "Scheduled",
        "Successfully assigned " + std::string(kNamespace) + "/" + e.pod + " to " + kNodeName,
        "default-scheduler", false));
  } else if (kind == "pod-started") {
    out.push_back(pod_event(e, "Normal", "Created", "Created container " + c, "kubelet", true));
    out.push_back(pod_event(e, "Normal", "Started", "Started container " + c, "kubelet", true));
  } else if (kind == "pod-terminated") {
    // The ReplicaSet controller deletes pods when scaling down or rolling out.
    if (e.detail.rfind("scaled down", 0) == 0 || e.detail.rfind("rollout", 0) == 0) {
      out.push_back(object_event("ReplicaSet", replica_set_name(c, hash_of_pod(c, e.pod)),
                                 "apps/v1", "SuccessfulDelete", "Deleted pod: " + e.pod,
                                 "replicaset-controller"));
    }
    out.push_back(pod_event(e, "Normal", "Killing", "Stopping container " + c, "kubelet", true));
  } else if (kind == "probe-failed") {
    // "liveness probe failed 3 times: HTTP probe failed with statuscode: 500"
    std::string role = e.detail.substr(0, e.detail.find(' '));
    size_t colon = e.detail.find(" times: ");
    std::string why = colon == std::string::npos ? e.detail : e.detail.substr(colon + 8);
    out.push_back(pod_event(e, "Warning", "Unhealthy", capitalized(role) + " probe failed: " + why,
                            "kubelet", true));
    if (role == "liveness" || role == "startup") {
      out.push_back(pod_event(e, "Normal", "Killing",
                              "Container " + c + " failed " + role + " probe, will be restarted",
                              "kubelet", true));
    }
  } else if (kind == "crash-loop-backoff") {
    out.push_back(pod_event(e, "Warning", "BackOff",
                            "Back-off restarting failed container " + c + " in pod " + e.pod + "_" +
                                kNamespace + "(" + facts.pod_uid + ")",
                            "kubelet", true));
  } else if (kind == "scaled" || kind == "hpa-scaled") {
    int from = 0, to = 0;
    if (!parse_scale(e.detail, from, to) || from == to) return out;
    if (kind == "hpa-scaled") {
      std::string reason = to > from
                               ? "cpu resource utilization (percentage of request) above target"
                               : "All metrics below target";
      if (facts.hpa_max > 0 && from > facts.hpa_max) {
        reason = "Current number of replicas above Spec.MaxReplicas";
      } else if (facts.hpa_min > 0 && from < facts.hpa_min) {
        reason = "Current number of replicas below Spec.MinReplicas";
      }
      out.push_back(object_event(
          "HorizontalPodAutoscaler", c, "autoscaling/v2", "SuccessfulRescale",
          "New size: " + std::to_string(to) + "; reason: " + reason, "horizontal-pod-autoscaler"));
    }
    out.push_back(object_event("Deployment", c, "apps/v1", "ScalingReplicaSet",
                               std::string(to > from ? "Scaled up" : "Scaled down") +
                                   " replica set " + replica_set_name(c, facts.template_hash) +
                                   " to " + std::to_string(to) + " from " + std::to_string(from),
                               "deployment-controller"));
  } else if (kind == "pod-paused" || kind == "pod-resumed" || kind == "pod-killed") {
    const char* reason = kind == "pod-paused"    ? "Paused"
                         : kind == "pod-resumed" ? "Resumed"
                                                 : "Killed";
    const char* what = kind == "pod-paused"    ? "Paused container "
                       : kind == "pod-resumed" ? "Resumed container "
                                               : "Killed container ";
    out.push_back(
        pod_event(e, "Normal", reason, what + c + " (" + e.detail + ")", "stampede-local", true));
  } else if (kind == "fault-set" || kind == "fault-cleared") {
    bool set = kind == "fault-set";
    if (!e.pod.empty()) {
      out.push_back(pod_event(e, "Normal", set ? "FaultSet" : "FaultCleared",
                              set ? "Fault knobs set: " + e.detail : "Fault knobs cleared",
                              "stampede-local", true));
    } else {
      std::string body = e.detail.rfind("service ", 0) == 0 ? e.detail.substr(8) : e.detail;
      out.push_back(object_event("Service", c, "v1", set ? "FaultSet" : "FaultCleared",
                                 set ? "Network fault set on the Service proxy: " + body
                                     : "Network fault on the Service proxy cleared",
                                 "stampede-local"));
    }
  } else if (kind == "cpu-limit-failed") {
    out.push_back(pod_event(e, "Warning", "CPULimitFailed", e.detail, "stampede-local", false));
  }
  return out;
}

void EventTranslator::add(const RenderContext& ctx, const KubeEvent& k, int64_t mono_ns,
                          uint64_t seq, ObjectStore& store) {
  std::string key = k.kind + "/" + k.name + "/" + k.field_path + "/" + k.type + "/" + k.reason +
                    "/" + k.component + "/" + k.message;
  const std::string when = ctx.time(mono_ns);
  auto folded = by_key_.find(key);
  if (folded != by_key_.end()) {
    json& object = objects_[folded->second];
    object["count"] = object.value("count", 1) + 1;
    object["lastTimestamp"] = when;
    // As the events API records a repeat: the series' count and when it was last seen.
    object["series"] = {{"count", object["count"]}, {"lastObservedTime", ctx.micro_time(mono_ns)}};
    store.put("events", object);
    return;
  }
  // Named like the API server's: the object's name and a hex number unique to the event.
  char suffix[24];
  std::snprintf(suffix, sizeof(suffix), ".%016llx",
                static_cast<unsigned long long>(ctx.unix_ms(mono_ns)) * 1000000ull + seq);
  std::string name = k.name + suffix;
  json involved = {{"kind", k.kind},
                   {"namespace", kNamespace},
                   {"name", k.name},
                   {"uid", ctx.uid(k.kind, k.name)},
                   {"apiVersion", k.api_version}};
  if (!k.field_path.empty()) involved["fieldPath"] = k.field_path;
  json source = {{"component", k.component}};
  if (k.from_node) source["host"] = kNodeName;
  json object = {{"kind", "Event"},
                 {"apiVersion", "v1"},
                 {"metadata", ctx.metadata("Event", name, mono_ns)},
                 {"involvedObject", involved},
                 {"reason", k.reason},
                 {"message", k.message},
                 {"source", source},
                 {"firstTimestamp", when},
                 {"lastTimestamp", when},
                 {"count", 1},
                 {"type", k.type},
                 {"eventTime", ctx.micro_time(mono_ns)},
                 {"reportingComponent", k.component},
                 {"reportingInstance", k.from_node ? kNodeName : ""}};
  store.put("events", object);
  by_key_[key] = name;
  key_of_[name] = key;
  objects_[name] = std::move(object);
  order_.push_back(name);
  while (order_.size() > capacity_) {
    const std::string oldest = order_.front();
    order_.pop_front();
    store.erase("events", oldest);
    by_key_.erase(key_of_[oldest]);
    key_of_.erase(oldest);
    objects_.erase(oldest);
  }
}

void EventTranslator::update(const RenderContext& ctx, Runtime& rt, ObjectStore& store) {
  for (const Event& e : rt.events().since(next_seq_)) {
    next_seq_ = e.seq + 1;
    EventFacts facts;
    if (const Deployment* d = rt.deployment(e.deployment)) facts.template_hash = d->template_hash();
    if (const HpaRunner* hpa = rt.hpa(e.deployment)) {
      facts.hpa_min = hpa->spec().min_replicas;
      facts.hpa_max = hpa->spec().max_replicas;
    }
    if (!e.pod.empty()) facts.pod_uid = ctx.uid("Pod", e.pod);
    translate(ctx, e, facts, store);
  }
}

void EventTranslator::translate(const RenderContext& ctx, const Event& e, const EventFacts& facts,
                                ObjectStore& store) {
  uint64_t n = 0;
  for (const KubeEvent& k : translate_event(e, facts)) {
    add(ctx, k, e.mono_ns, e.seq * 4 + n++, store);
  }
}

}  // namespace stampede::local::kube
