#include "engine/platform/local_api_json.h"

namespace stampede {
namespace {

using nlohmann::json;

// Reads fields of one JSON object; the first type error wins and names `path.key`.
class Fields {
 public:
  Fields(const json& j, std::string path) : j_(j), path_(std::move(path)) {}

  const json* find(std::initializer_list<const char*> keys) const {
    if (!j_.is_object()) return nullptr;
    for (const char* key : keys) {
      auto it = j_.find(key);
      if (it != j_.end() && !it->is_null()) return &*it;
    }
    return nullptr;
  }
  std::string text(std::initializer_list<const char*> keys) {
    const json* v = find(keys);
    if (v == nullptr) return "";
    if (!v->is_string()) return bad(*keys.begin(), "a string"), "";
    return v->get<std::string>();
  }
  double number(std::initializer_list<const char*> keys, double fallback) {
    const json* v = find(keys);
    if (v == nullptr) return fallback;
    if (!v->is_number()) return bad(*keys.begin(), "a number"), fallback;
    return v->get<double>();
  }
  bool flag(std::initializer_list<const char*> keys, bool fallback) {
    const json* v = find(keys);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) return bad(*keys.begin(), "true or false"), fallback;
    return v->get<bool>();
  }
  // {"mono_ns": N, "unix_ms": N} -> mono_ns; `fallback` when absent.
  Nanos time(const char* key, Nanos fallback) {
    const json* v = find({key});
    if (v == nullptr) return fallback;
    Fields t(*v, at(key));
    Nanos ns = static_cast<Nanos>(t.number({"mono_ns"}, static_cast<double>(fallback)));
    if (!t.status_.ok()) status_ = t.status_;
    return ns;
  }
  std::map<std::string, std::string> labels(const char* key) {
    std::map<std::string, std::string> out;
    const json* v = find({key});
    if (v == nullptr) return out;
    if (!v->is_object()) return bad(key, "an object"), out;
    for (auto it = v->begin(); it != v->end(); ++it) {
      if (it->is_string()) out[it.key()] = it->get<std::string>();
    }
    return out;
  }
  std::string at(const std::string& key) const { return path_ + "." + key; }
  void bad(const std::string& key, const char* expected) {
    if (status_.ok()) status_ = Error(at(key) + ": expected " + expected);
  }
  const Status& status() const { return status_; }

 private:
  const json& j_;
  std::string path_;
  Status status_;
};

template <class T, class Decode>
Result<std::vector<T>> decode_list(const json& j, const char* what, Decode decode) {
  if (!j.is_array()) return Error(std::string(what) + ": expected a JSON array");
  std::vector<T> out;
  for (size_t i = 0; i < j.size(); ++i) {
    auto item = decode(j[i], std::string(what) + "[" + std::to_string(i) + "]");
    if (!item.ok()) return item.error();
    out.push_back(std::move(item).value());
  }
  return out;
}

Result<HpaState> hpa_at(const json& j, const std::string& path) {
  if (!j.is_object()) return Error(path + ": expected an object");
  Fields f(j, path);
  HpaState h;
  h.deployment = f.text({"deployment"});
  h.min_replicas = static_cast<int>(f.number({"min_replicas", "minReplicas"}, 1));
  h.max_replicas = static_cast<int>(f.number({"max_replicas", "maxReplicas"}, h.min_replicas));
  h.target_cpu_utilization =
      f.number({"target_cpu_utilization", "targetCPUUtilizationPercentage"}, 80);
  h.current_utilization = f.number({"current_utilization"}, -1);
  h.current_replicas = static_cast<int>(f.number({"current_replicas"}, 0));
  h.desired_replicas = static_cast<int>(f.number({"desired_replicas"}, 0));
  h.last_scale_mono_ns = f.time("last_scale", -1);
  h.reason = f.text({"reason"});
  // Not in the contract's required fields: read when the runtime reports its behavior.
  if (const json* b = f.find({"behavior"}); b != nullptr && b->is_object()) {
    auto down = b->find("scaleDown");
    if (down == b->end()) down = b->find("scale_down");
    if (down != b->end() && down->is_object()) {
      Fields d(*down, path + ".behavior.scaleDown");
      h.scale_down_stabilization_seconds =
          d.number({"stabilizationWindowSeconds", "stabilization_window_seconds"}, -1);
    }
  }
  if (!f.status().ok()) return f.status().error();
  return h;
}

Result<ProbeSpec> probe_at(const json& j, const std::string& path) {
  if (!j.is_object()) return Error(path + ": expected an object");
  Fields f(j, path);
  ProbeSpec p;
  for (const char* handler : {"httpGet", "grpc", "tcpSocket", "exec"}) {
    if (f.find({handler}) != nullptr) p.handler = handler;
  }
  if (p.handler.empty()) {
    if (f.find({"http_get"})) p.handler = "httpGet";
    if (f.find({"tcp_socket"})) p.handler = "tcpSocket";
    std::string named = f.text({"kind", "handler", "type"});
    if (!named.empty()) p.handler = named;
  }
  p.initial_delay_seconds = f.number({"initialDelaySeconds", "initial_delay_seconds"}, 0);
  p.period_seconds = f.number({"periodSeconds", "period_seconds"}, 10);
  p.timeout_seconds = f.number({"timeoutSeconds", "timeout_seconds"}, 1);
  p.success_threshold = static_cast<int>(f.number({"successThreshold", "success_threshold"}, 1));
  p.failure_threshold = static_cast<int>(f.number({"failureThreshold", "failure_threshold"}, 3));
  if (!f.status().ok()) return f.status().error();
  return p;
}

Result<DeploymentState> deployment_at(const json& j, const std::string& path) {
  if (!j.is_object()) return Error(path + ": expected an object");
  Fields f(j, path);
  DeploymentState d;
  d.name = f.text({"name"});
  if (d.name.empty()) return Error(path + ".name: missing");
  d.replicas = static_cast<int>(f.number({"replicas"}, 0));
  d.current = static_cast<int>(f.number({"current"}, 0));
  d.ready = static_cast<int>(f.number({"ready"}, 0));
  d.updated = static_cast<int>(f.number({"updated"}, 0));
  d.available = static_cast<int>(f.number({"available"}, 0));
  if (const json* r = f.find({"rollout"}); r != nullptr) {
    Fields rf(*r, f.at("rollout"));
    d.rollout_in_progress = rf.flag({"in_progress"}, false);
    d.revision = static_cast<int64_t>(rf.number({"revision"}, 0));
    if (!rf.status().ok()) return rf.status().error();
  }
  if (const json* s = f.find({"service"}); s != nullptr) {
    Fields sf(*s, f.at("service"));
    d.service = sf.text({"name"});
    d.service_port = static_cast<int>(sf.number({"port"}, 0));
    if (!sf.status().ok()) return sf.status().error();
  }
  if (const json* h = f.find({"hpa"}); h != nullptr) {
    auto hpa = hpa_at(*h, f.at("hpa"));
    if (!hpa.ok()) return hpa.error();
    d.hpa = hpa.value();
    if (d.hpa->deployment.empty()) d.hpa->deployment = d.name;
  }
  if (const json* probes = f.find({"probes"}); probes != nullptr) {
    Fields pf(*probes, f.at("probes"));
    auto read = [&](const char* key, std::optional<ProbeSpec>& out) -> Status {
      const json* p = pf.find({key});
      if (p == nullptr) return Status();
      auto probe = probe_at(*p, pf.at(key));
      if (!probe.ok()) return probe.error();
      out = probe.value();
      return Status();
    };
    for (auto [key, slot] :
         {std::pair{"liveness", &d.probes.liveness}, std::pair{"readiness", &d.probes.readiness},
          std::pair{"startup", &d.probes.startup}}) {
      Status st = read(key, *slot);
      if (!st.ok()) return st.error();
    }
  }
  d.termination_grace_period_seconds = f.number({"termination_grace_period_seconds"}, 30);
  d.labels = f.labels("labels");
  if (!f.status().ok()) return f.status().error();
  return d;
}

Result<PodState> pod_at(const json& j, const std::string& path) {
  if (!j.is_object()) return Error(path + ": expected an object");
  Fields f(j, path);
  PodState p;
  p.name = f.text({"name"});
  if (p.name.empty()) return Error(path + ".name: missing");
  p.deployment = f.text({"deployment"});
  p.phase = f.text({"phase"});
  p.state = f.text({"state"});
  p.ready = f.flag({"ready"}, false);
  p.restarts = static_cast<int64_t>(f.number({"restarts"}, 0));
  if (const json* ports = f.find({"ports"}); ports != nullptr && ports->is_object()) {
    for (auto it = ports->begin(); it != ports->end(); ++it) {
      if (it->is_number_integer()) p.ports[it.key()] = it->get<int>();
    }
  }
  p.cpu_millicores = f.number({"cpu_millicores"}, -1);
  p.cpu_utilization = f.number({"cpu_utilization"}, -1);
  p.created_mono_ns = f.time("created", 0);
  p.labels = f.labels("labels");
  if (!f.status().ok()) return f.status().error();
  return p;
}

Result<PlatformEventRecord> event_at(const json& j, const std::string& path) {
  if (!j.is_object()) return Error(path + ": expected an object");
  Fields f(j, path);
  PlatformEventRecord e;
  e.seq = static_cast<int64_t>(f.number({"seq"}, 0));
  e.mono_ns = static_cast<Nanos>(f.number({"mono_ns"}, 0));
  e.kind = f.text({"kind"});
  e.deployment = f.text({"deployment"});
  e.pod = f.text({"pod"});
  e.detail = f.text({"detail"});
  if (!f.status().ok()) return f.status().error();
  return e;
}

}  // namespace

Result<std::vector<DeploymentState>> decode_deployments(const json& j) {
  return decode_list<DeploymentState>(j, "deployments", deployment_at);
}
Result<std::vector<PodState>> decode_pods(const json& j) {
  return decode_list<PodState>(j, "pods", pod_at);
}
Result<std::vector<HpaState>> decode_hpas(const json& j) {
  return decode_list<HpaState>(j, "hpas", hpa_at);
}
Result<ProbeSpec> decode_probe(const json& j) {
  return probe_at(j, "probe");
}
Result<HpaState> decode_hpa(const json& j) {
  return hpa_at(j, "hpa");
}

Result<EventBatch> decode_events(const json& j) {
  if (!j.is_object()) return Error("events: expected a JSON object");
  EventBatch batch;
  auto next = j.find("next");
  if (next == j.end() || !next->is_number_integer()) return Error("events.next: expected a number");
  batch.next = next->get<int64_t>();
  auto events = j.find("events");
  if (events == j.end()) return Error("events.events: missing");
  auto list = decode_list<PlatformEventRecord>(*events, "events.events", event_at);
  if (!list.ok()) return list.error();
  batch.events = std::move(list).value();
  return batch;
}

json encode_fault_knobs(const FaultKnobs& k) {
  json j = json::object();
  if (k.latency_ms) j["latency_ms"] = *k.latency_ms;
  if (k.jitter_ms) j["jitter_ms"] = *k.jitter_ms;
  if (k.error_rate) j["error_rate"] = *k.error_rate;
  if (k.hang) j["hang"] = *k.hang;
  if (k.unhealthy) j["unhealthy"] = *k.unhealthy;
  if (k.cpu_burn_ms) j["cpu_burn_ms"] = *k.cpu_burn_ms;
  if (!k.methods.empty()) j["methods"] = k.methods;
  return j;
}

json encode_network_fault(const NetworkFault& f) {
  return json{{"latency_ms", f.latency_ms},         {"jitter_ms", f.jitter_ms},
              {"bandwidth_kbps", f.bandwidth_kbps}, {"reset_rate", f.reset_rate},
              {"reset_existing", f.reset_existing}, {"blackhole", f.blackhole}};
}

}  // namespace stampede
