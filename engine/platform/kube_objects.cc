#include "engine/platform/kube_objects.h"

#include <cmath>
#include <cstdlib>
#include <ctime>

#include "targets/kubernetes/kube_json.h"
#include "targets/kubernetes/kube_time.h"
#include "targets/kubernetes/label_selector.h"

namespace stampede {
namespace {

using kube_json::at;
using kube_json::integer;
using kube_json::number;
using kube_json::str;
using nlohmann::json;

std::map<std::string, std::string> string_map(const json& j) {
  std::map<std::string, std::string> out;
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

// The status of condition `type` in a status.conditions list ("True", "False", "Unknown", "").
std::string condition(const json& conditions, const std::string& type) {
  if (!conditions.is_array()) return "";
  for (const json& c : conditions) {
    if (str(c, "type") == type) return str(c, "status");
  }
  return "";
}

const json& first_container(const json& pod_spec) {
  static const json kEmpty = json::object();
  const json& containers = at(pod_spec, "containers");
  return containers.is_array() && !containers.empty() ? containers[0] : kEmpty;
}

}  // namespace

KubeClock KubeClock::now() {
  timespec real{}, mono{};
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_MONOTONIC, &mono);
  KubeClock c;
  c.realtime_minus_mono_ns = (static_cast<int64_t>(real.tv_sec) - mono.tv_sec) * kNanosPerSecond +
                             (real.tv_nsec - mono.tv_nsec);
  return c;
}

Nanos KubeClock::mono(const std::string& text) const {
  if (text.empty()) return 0;
  auto us = kube::parse_time_us(text);
  if (!us.ok()) return 0;
  return us.value() * kNanosPerMicro - realtime_minus_mono_ns;
}

std::string KubeNames::shorten(const std::string& name) const {
  if (!prefix.empty() && name.size() > prefix.size() &&
      name.compare(0, prefix.size(), prefix) == 0) {
    return name.substr(prefix.size());
  }
  return name;
}

std::string KubeNames::expand(const std::string& name) const {
  if (prefix.empty() || name.compare(0, prefix.size(), prefix) == 0) return name;
  return prefix + name;
}

std::string pod_deployment(const json& pod) {
  const json& meta = at(pod, "metadata");
  const json& owners = at(meta, "ownerReferences");
  if (!owners.is_array()) return "";
  std::string hash = str(at(meta, "labels"), "pod-template-hash");
  for (const json& o : owners) {
    if (str(o, "kind") != "ReplicaSet" || !at(o, "controller").is_boolean() ||
        !at(o, "controller").get<bool>()) {
      continue;
    }
    std::string rs = str(o, "name");
    std::string suffix = "-" + hash;
    if (!hash.empty() && rs.size() > suffix.size() &&
        rs.compare(rs.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return rs.substr(0, rs.size() - suffix.size());
    }
  }
  return "";
}

ProbeSpec read_probe(const json& probe) {
  ProbeSpec p;
  for (const char* handler : {"httpGet", "grpc", "tcpSocket", "exec"}) {
    if (at(probe, handler).is_object()) p.handler = handler;
  }
  p.initial_delay_seconds = number(probe, "initialDelaySeconds", 0);
  p.period_seconds = number(probe, "periodSeconds", 10);
  p.timeout_seconds = number(probe, "timeoutSeconds", 1);
  p.success_threshold = static_cast<int>(integer(probe, "successThreshold", 1));
  p.failure_threshold = static_cast<int>(integer(probe, "failureThreshold", 3));
  return p;
}

Result<PodState> read_pod(const json& pod, const KubeNames& names, const KubeClock& clock) {
  const json& meta = at(pod, "metadata");
  PodState p;
  p.name = str(meta, "name");
  if (p.name.empty()) return Error("pod: metadata.name missing");
  p.deployment = names.shorten(pod_deployment(pod));
  p.labels = string_map(at(meta, "labels"));
  p.created_mono_ns = clock.mono(str(meta, "creationTimestamp"));
  const json& status = at(pod, "status");
  bool deleting = at(meta, "deletionTimestamp").is_string();
  p.phase = deleting ? "Terminating" : str(status, "phase");
  if (p.phase.empty()) p.phase = "Pending";
  const json& conditions = at(status, "conditions");
  p.ready = condition(conditions, "Ready") == "True";
  bool paused = condition(conditions, "local.stampede.dev/Paused") == "True";
  bool running = false, terminated = false;
  const json& statuses = at(status, "containerStatuses");
  if (statuses.is_array()) {
    for (const json& c : statuses) {
      p.restarts += integer(c, "restartCount", 0);
      const json& state = at(c, "state");
      if (at(state, "running").is_object()) running = true;
      if (at(state, "terminated").is_object()) terminated = true;
      std::string waiting = str(at(state, "waiting"), "reason");
      if (!waiting.empty() && p.waiting_reason.empty()) p.waiting_reason = waiting;
      std::string last = str(at(at(c, "lastState"), "terminated"), "reason");
      if (!last.empty() && p.last_exit_reason.empty()) p.last_exit_reason = last;
    }
  }
  if (deleting) {
    p.state = "terminating";
  } else if (paused) {
    p.state = "paused";
  } else if (p.waiting_reason == "CrashLoopBackOff") {
    p.state = "crash-loop-backoff";
  } else if (terminated && !running) {
    p.state = "exited";
  } else if (running) {
    p.state = "running";
  } else {
    p.state = "starting";
  }
  const json& containers = at(at(pod, "spec"), "containers");
  if (containers.is_array()) {
    for (const json& c : containers) {
      const json& ports = at(c, "ports");
      if (!ports.is_array()) continue;
      for (const json& port : ports) {
        std::string name = str(port, "name");
        if (!name.empty()) p.ports[name] = static_cast<int>(integer(port, "containerPort", 0));
      }
    }
  }
  return p;
}

Result<std::optional<HpaState>> read_hpa(const json& hpa, const KubeNames& names,
                                         const KubeClock& clock) {
  const json& meta = at(hpa, "metadata");
  std::string name = str(meta, "name");
  if (name.empty()) return Error("horizontalpodautoscaler: metadata.name missing");
  const json& spec = at(hpa, "spec");
  const json& target = at(spec, "scaleTargetRef");
  if (str(target, "kind") != "Deployment") return std::optional<HpaState>();
  HpaState h;
  h.deployment = names.shorten(str(target, "name"));
  h.min_replicas = static_cast<int>(integer(spec, "minReplicas", 1));
  h.max_replicas = static_cast<int>(integer(spec, "maxReplicas", h.min_replicas));
  h.target_cpu_utilization = 80;  // autoscaling/v2's default without metrics
  auto cpu_of = [](const json& list, const char* field) -> const json* {
    if (!list.is_array()) return nullptr;
    for (const json& m : list) {
      const json& r = at(m, "resource");
      if (str(m, "type") == "Resource" && str(r, "name") == "cpu") return &at(r, field);
    }
    return nullptr;
  };
  if (const json* t = cpu_of(at(spec, "metrics"), "target")) {
    h.target_cpu_utilization = number(*t, "averageUtilization", h.target_cpu_utilization);
  }
  const json& status = at(hpa, "status");
  if (const json* c = cpu_of(at(status, "currentMetrics"), "current")) {
    h.current_utilization = number(*c, "averageUtilization", -1);
  }
  h.current_replicas = static_cast<int>(integer(status, "currentReplicas", 0));
  h.desired_replicas = static_cast<int>(integer(status, "desiredReplicas", h.current_replicas));
  std::string last = str(status, "lastScaleTime");
  h.last_scale_mono_ns = last.empty() ? -1 : clock.mono(last);
  const json& window = at(at(at(spec, "behavior"), "scaleDown"), "stabilizationWindowSeconds");
  h.scale_down_stabilization_seconds = window.is_number() ? window.get<double>() : 300;
  const json& conditions = at(status, "conditions");
  if (conditions.is_array()) {
    for (const json& c : conditions) {
      std::string text = str(c, "type") + "=" + str(c, "status");
      if (!str(c, "reason").empty()) text += " (" + str(c, "reason") + ")";
      h.conditions.push_back(text);
      if (!str(c, "message").empty()) {
        h.reason += (h.reason.empty() ? "" : "; ") + str(c, "reason") + ": " + str(c, "message");
      }
    }
  }
  if (h.reason.empty()) h.reason = "no status yet";
  return std::optional<HpaState>(h);
}

Result<DeploymentState> read_deployment(const json& deployment, const std::vector<json>& services,
                                        const std::vector<json>& hpas, const KubeNames& names,
                                        const KubeClock& clock) {
  const json& meta = at(deployment, "metadata");
  std::string full = str(meta, "name");
  if (full.empty()) return Error("deployment: metadata.name missing");
  DeploymentState d;
  d.name = names.shorten(full);
  const json& spec = at(deployment, "spec");
  const json& status = at(deployment, "status");
  d.replicas = static_cast<int>(integer(spec, "replicas", 1));
  d.current = static_cast<int>(integer(status, "replicas", 0));
  d.ready = static_cast<int>(integer(status, "readyReplicas", 0));
  d.updated = static_cast<int>(integer(status, "updatedReplicas", 0));
  d.available = static_cast<int>(integer(status, "availableReplicas", 0));
  // kubectl rollout status' rule for "successfully rolled out".
  bool observed = integer(status, "observedGeneration", 0) >= integer(meta, "generation", 0);
  d.rollout_in_progress =
      !(observed && d.updated >= d.replicas && d.current <= d.updated && d.available >= d.updated);
  std::string revision = str(at(meta, "annotations"), "deployment.kubernetes.io/revision");
  d.revision = revision.empty() ? 0 : std::strtoll(revision.c_str(), nullptr, 10);
  d.labels = string_map(at(meta, "labels"));
  auto selector = kube::LabelSelector::from_object(at(spec, "selector"));
  if (!selector.ok())
    return selector.error().with_context("deployment " + full + ": spec.selector");
  d.selector = selector.value().to_string();
  const json& pod_template = at(spec, "template");
  const json& pod_spec = at(pod_template, "spec");
  d.termination_grace_period_seconds = number(pod_spec, "terminationGracePeriodSeconds", 30);
  const json& container = first_container(pod_spec);
  if (at(container, "livenessProbe").is_object()) {
    d.probes.liveness = read_probe(at(container, "livenessProbe"));
  }
  if (at(container, "readinessProbe").is_object()) {
    d.probes.readiness = read_probe(at(container, "readinessProbe"));
  }
  if (at(container, "startupProbe").is_object()) {
    d.probes.startup = read_probe(at(container, "startupProbe"));
  }
  std::map<std::string, std::string> pod_labels =
      string_map(at(at(pod_template, "metadata"), "labels"));
  for (const json& s : services) {
    std::map<std::string, std::string> wanted = string_map(at(at(s, "spec"), "selector"));
    if (wanted.empty()) continue;
    bool selects = true;
    for (const auto& [k, v] : wanted) {
      auto it = pod_labels.find(k);
      if (it == pod_labels.end() || it->second != v) selects = false;
    }
    if (!selects) continue;
    d.service = names.shorten(str(at(s, "metadata"), "name"));
    const json& ports = at(at(s, "spec"), "ports");
    if (ports.is_array() && !ports.empty()) {
      d.service_port = static_cast<int>(integer(ports[0], "port", 0));
    }
    break;
  }
  for (const json& h : hpas) {
    if (str(at(at(h, "spec"), "scaleTargetRef"), "name") != full) continue;
    auto hpa = read_hpa(h, names, clock);
    if (!hpa.ok()) return hpa.error();
    if (hpa.value()) d.hpa = *hpa.value();
  }
  return d;
}

Result<double> parse_cpu_millicores(const std::string& quantity) {
  const char* text = quantity.c_str();
  char* end = nullptr;
  double v = std::strtod(text, &end);
  if (end == text || !std::isfinite(v) || v < 0) {
    return Error("'" + quantity + "' is not a CPU quantity (e.g. 250m, 0.5, 12345678n)");
  }
  std::string suffix(end);
  double scale;  // millicores per unit
  if (suffix.empty()) {
    scale = 1000;
  } else if (suffix == "m") {
    scale = 1;
  } else if (suffix == "u") {
    scale = 1e-3;
  } else if (suffix == "n") {
    scale = 1e-6;
  } else if (suffix == "k") {
    scale = 1e6;
  } else if (suffix == "M") {
    scale = 1e9;
  } else {
    return Error("'" + quantity + "' is not a CPU quantity (e.g. 250m, 0.5, 12345678n)");
  }
  return v * scale;
}

Result<double> read_pod_metrics_millicores(const json& metrics) {
  const json& containers = at(metrics, "containers");
  if (!containers.is_array()) return Error("PodMetrics: containers missing");
  double total = 0;
  for (const json& c : containers) {
    std::string cpu = str(at(c, "usage"), "cpu");
    if (cpu.empty()) continue;
    auto m = parse_cpu_millicores(cpu);
    if (!m.ok())
      return m.error().with_context("PodMetrics " + str(at(metrics, "metadata"), "name"));
    total += m.value();
  }
  return total;
}

double pod_cpu_request_millicores(const json& pod) {
  double total = 0;
  const json& containers = at(at(pod, "spec"), "containers");
  if (!containers.is_array()) return 0;
  for (const json& c : containers) {
    std::string cpu = str(at(at(c, "resources"), "requests"), "cpu");
    if (cpu.empty()) continue;
    auto m = parse_cpu_millicores(cpu);
    if (m.ok()) total += m.value();
  }
  return total;
}

}  // namespace stampede
