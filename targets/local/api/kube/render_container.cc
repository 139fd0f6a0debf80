#include "targets/local/api/kube/render_container.h"

#include "targets/local/api/kube/render_context.h"

namespace stampede::local::kube {

using nlohmann::json;

std::string image_of(const DeploymentSpec& spec) {
  return spec.image_repository + ":" + (spec.image_tag.empty() ? "local" : spec.image_tag);
}

std::string image_id_of(const DeploymentSpec& spec, const LocalRuntimeSpec& local) {
  auto it = local.executables.find(spec.image_repository);
  if (it != local.executables.end()) return "local://" + it->second;
  return "local://" + (spec.command.empty() ? spec.image_repository : spec.command[0]);
}

json probe_object(const DeploymentSpec& spec, const std::optional<ProbeSpec>& probe) {
  if (!probe) return nullptr;
  json p = json::object();
  switch (probe->kind) {
    case ProbeKind::kHttpGet: {
      json get = {{"path", probe->path}, {"port", probe->port_name}, {"scheme", probe->scheme}};
      if (!probe->http_headers.empty()) {
        json headers = json::array();
        for (const auto& [name, value] : probe->http_headers) {
          headers.push_back({{"name", name}, {"value", value}});
        }
        get["httpHeaders"] = headers;
      }
      p["httpGet"] = get;
      break;
    }
    case ProbeKind::kGrpc: {
      // A grpc probe's port is a number in Kubernetes (no names).
      const ContainerPort* port = spec.port_named(probe->port_name);
      p["grpc"] = {{"port", port != nullptr ? port->container_port : 0},
                   {"service", probe->grpc_service}};
      break;
    }
    case ProbeKind::kTcpSocket:
      p["tcpSocket"] = {{"port", probe->port_name}};
      break;
    case ProbeKind::kExec:
      p["exec"] = {{"command", probe->command}};
      break;
  }
  p["initialDelaySeconds"] = probe->initial_delay_seconds;
  p["periodSeconds"] = probe->period_seconds;
  p["timeoutSeconds"] = probe->timeout_seconds;
  p["successThreshold"] = probe->success_threshold;
  p["failureThreshold"] = probe->failure_threshold;
  if (probe->termination_grace_period_seconds) {
    p["terminationGracePeriodSeconds"] = *probe->termination_grace_period_seconds;
  }
  return p;
}

json resources_object(const DeploymentSpec& spec) {
  json requests = json::object(), limits = json::object();
  if (spec.cpu_request_millis > 0) requests["cpu"] = cpu_quantity(spec.cpu_request_millis);
  if (spec.memory_request_bytes > 0)
    requests["memory"] = memory_quantity(spec.memory_request_bytes);
  if (spec.cpu_limit_millis > 0) limits["cpu"] = cpu_quantity(spec.cpu_limit_millis);
  if (spec.memory_limit_bytes > 0) limits["memory"] = memory_quantity(spec.memory_limit_bytes);
  json r = json::object();
  if (!requests.empty()) r["requests"] = requests;
  if (!limits.empty()) r["limits"] = limits;
  return r;
}

std::string qos_class(const DeploymentSpec& spec) {
  // A request left out defaults to its limit.
  int64_t cpu_request =
      spec.cpu_request_millis > 0 ? spec.cpu_request_millis : spec.cpu_limit_millis;
  int64_t memory_request =
      spec.memory_request_bytes > 0 ? spec.memory_request_bytes : spec.memory_limit_bytes;
  if (spec.cpu_limit_millis > 0 && spec.memory_limit_bytes > 0 &&
      cpu_request == spec.cpu_limit_millis && memory_request == spec.memory_limit_bytes) {
    return "Guaranteed";
  }
  if (spec.cpu_request_millis > 0 || spec.cpu_limit_millis > 0 || spec.memory_request_bytes > 0 ||
      spec.memory_limit_bytes > 0) {
    return "Burstable";
  }
  return "BestEffort";
}

json container_object(const DeploymentSpec& spec, const Pod* pod) {
  json c = {{"name", spec.name}, {"image", image_of(spec)}, {"imagePullPolicy", "IfNotPresent"}};
  if (!spec.command.empty()) c["command"] = spec.command;
  if (!spec.args.empty()) c["args"] = spec.args;
  json ports = json::array();
  for (const ContainerPort& p : spec.ports) {
    json port = {{"name", p.name}, {"containerPort", p.container_port}, {"protocol", "TCP"}};
    if (pod != nullptr) {
      auto local = pod->ports().find(p.name);
      if (local != pod->ports().end() && local->second > 0) port["hostPort"] = local->second;
    }
    ports.push_back(port);
  }
  if (!ports.empty()) c["ports"] = ports;
  if (pod != nullptr) {
    json env = json::array();
    for (const auto& [name, value] : pod->env()) {
      if (name == "ADMIN_TOKEN") {
        env.push_back(
            {{"name", name},
             {"valueFrom", {{"secretKeyRef", {{"name", kAdminSecret}, {"key", "admin-token"}}}}}});
      } else {
        env.push_back({{"name", name}, {"value", value}});
      }
    }
    c["env"] = env;
  }
  c["resources"] = resources_object(spec);
  if (spec.liveness) c["livenessProbe"] = probe_object(spec, spec.liveness);
  if (spec.readiness) c["readinessProbe"] = probe_object(spec, spec.readiness);
  if (spec.startup) c["startupProbe"] = probe_object(spec, spec.startup);
  c["terminationMessagePath"] = "/dev/termination-log";
  c["terminationMessagePolicy"] = "File";
  return c;
}

}  // namespace stampede::local::kube
