#include "targets/local/values/values_reader.h"

#include <set>

#include "targets/local/values/node_read.h"
#include "targets/local/values/probe_reader.h"
#include "targets/local/values/quantity.h"

namespace stampede::local {
namespace {

// A child of a map node, or an undefined node when `node` is not a map (never throws).
YAML::Node child(const YAML::Node& node, const char* key) {
  if (!node.IsDefined() || !node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  return node[key];
}

#define TRY(var, expr) \
  auto var = (expr);   \
  if (!var.ok()) return var.error()

Status read_ports(const YAML::Node& node, const std::string& path, DeploymentSpec& d) {
  if (is_null(node)) return Status::Ok();
  if (!node.IsDefined() || !node.IsSequence())
    return Error(path + ": expected a list, got " + describe(node));
  std::set<std::string> names, envs;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string p = path + "[" + std::to_string(i) + "]";
    if (auto s = expect_map(node[i], p); !s.ok()) return s;
    ContainerPort port;
    TRY(name, read_string(child(node[i], "name"), key_path(p, "name")));
    TRY(number, read_int(child(node[i], "containerPort"), key_path(p, "containerPort")));
    if (name.value().empty()) return Error(key_path(p, "name") + ": must not be empty");
    if (number.value() < 1 || number.value() > 65535) {
      return Error(key_path(p, "containerPort") + ": must be 1..65535, got " +
                   std::to_string(number.value()));
    }
    if (!names.insert(name.value()).second) {
      return Error(key_path(p, "name") + ": duplicate port name '" + name.value() + "'");
    }
    port.name = name.value();
    port.container_port = static_cast<int>(number.value());
    if (!is_null(child(node[i], "env"))) {
      TRY(env, read_string(child(node[i], "env"), key_path(p, "env")));
      if (!env.value().empty() && !envs.insert(env.value()).second) {
        return Error(key_path(p, "env") + ": two ports set '" + env.value() + "'");
      }
      port.env = env.value();
    }
    d.ports.push_back(port);
  }
  return Status::Ok();
}

Status read_resources(const YAML::Node& node, const std::string& path, DeploymentSpec& d) {
  if (auto s = expect_map(node, path, true); !s.ok()) return s;
  struct Q {
    const char* group;
    const char* key;
    int64_t* out;
    bool cpu;
  };
  const Q qs[] = {{"requests", "cpu", &d.cpu_request_millis, true},
                  {"limits", "cpu", &d.cpu_limit_millis, true},
                  {"requests", "memory", &d.memory_request_bytes, false},
                  {"limits", "memory", &d.memory_limit_bytes, false}};
  for (const Q& q : qs) {
    std::string gp = key_path(path, q.group);
    YAML::Node group = child(node, q.group);
    if (auto s = expect_map(group, gp, true); !s.ok()) return s;
    YAML::Node v = child(group, q.key);
    if (is_null(v)) continue;
    auto r =
        q.cpu ? read_cpu_millis(v, key_path(gp, q.key)) : read_memory_bytes(v, key_path(gp, q.key));
    if (!r.ok()) return r.error();
    *q.out = r.value();
  }
  if (d.cpu_limit_millis > 0 && d.cpu_request_millis > d.cpu_limit_millis) {
    return Error(path + ": requests.cpu " + std::to_string(d.cpu_request_millis) +
                 "m > limits.cpu " + std::to_string(d.cpu_limit_millis) + "m");
  }
  return Status::Ok();
}

Status read_rules(const YAML::Node& node, const std::string& path, ScalingRulesValue& rules) {
  if (auto s = expect_map(node, path, true); !s.ok()) return s;
  if (is_null(node)) return Status::Ok();
  if (!is_null(child(node, "stabilizationWindowSeconds"))) {
    TRY(w, read_int_at_least(child(node, "stabilizationWindowSeconds"),
                             key_path(path, "stabilizationWindowSeconds"), 0));
    if (w.value() > 3600) {
      return Error(key_path(path, "stabilizationWindowSeconds") + ": must be <= 3600, got " +
                   std::to_string(w.value()));
    }
    rules.stabilization_window_seconds = w.value();
  }
  if (!is_null(child(node, "selectPolicy"))) {
    TRY(sp, read_string(child(node, "selectPolicy"), key_path(path, "selectPolicy")));
    if (sp.value() != "Max" && sp.value() != "Min" && sp.value() != "Disabled") {
      return Error(key_path(path, "selectPolicy") + ": must be Max, Min or Disabled, got '" +
                   sp.value() + "'");
    }
    rules.select_policy = sp.value();
  }
  YAML::Node policies = child(node, "policies");
  if (!is_null(policies)) {
    std::string pp = key_path(path, "policies");
    if (!policies.IsDefined() || !policies.IsSequence())
      return Error(pp + ": expected a list, got " + describe(policies));
    std::vector<ScalingPolicyValue> out;
    for (size_t i = 0; i < policies.size(); ++i) {
      std::string ip = pp + "[" + std::to_string(i) + "]";
      if (auto s = expect_map(policies[i], ip); !s.ok()) return s;
      TRY(type, read_string(child(policies[i], "type"), key_path(ip, "type")));
      if (type.value() != "Pods" && type.value() != "Percent") {
        return Error(key_path(ip, "type") + ": must be Pods or Percent, got '" + type.value() +
                     "'");
      }
      TRY(value, read_int_at_least(child(policies[i], "value"), key_path(ip, "value"), 1));
      TRY(period,
          read_int_at_least(child(policies[i], "periodSeconds"), key_path(ip, "periodSeconds"), 1));
      if (period.value() > 1800) {
        return Error(key_path(ip, "periodSeconds") + ": must be <= 1800, got " +
                     std::to_string(period.value()));
      }
      out.push_back({type.value() == "Pods", value.value(), period.value()});
    }
    rules.policies = out;
  }
  return Status::Ok();
}

Status read_autoscaling(const YAML::Node& node, const std::string& path, AutoscalingSpec& a) {
  if (auto s = expect_map(node, path, true); !s.ok()) return s;
  if (is_null(node)) return Status::Ok();
  if (!is_null(child(node, "enabled"))) {
    TRY(e, read_bool(child(node, "enabled"), key_path(path, "enabled")));
    a.enabled = e.value();
  }
  if (!is_null(child(node, "minReplicas"))) {
    TRY(v, read_int_at_least(child(node, "minReplicas"), key_path(path, "minReplicas"), 1));
    a.min_replicas = v.value();
  }
  if (!is_null(child(node, "maxReplicas"))) {
    TRY(v, read_int_at_least(child(node, "maxReplicas"), key_path(path, "maxReplicas"), 1));
    a.max_replicas = v.value();
  }
  if (a.min_replicas > a.max_replicas) {
    return Error(path + ": minReplicas " + std::to_string(a.min_replicas) + " > maxReplicas " +
                 std::to_string(a.max_replicas));
  }
  if (!is_null(child(node, "targetCPUUtilizationPercentage"))) {
    TRY(v, read_int_at_least(child(node, "targetCPUUtilizationPercentage"),
                             key_path(path, "targetCPUUtilizationPercentage"), 1));
    a.target_cpu_utilization = v.value();
  }
  YAML::Node behavior = child(node, "behavior");
  std::string bp = key_path(path, "behavior");
  if (auto s = expect_map(behavior, bp, true); !s.ok()) return s;
  if (auto s = read_rules(child(behavior, "scaleUp"), key_path(bp, "scaleUp"), a.scale_up); !s.ok())
    return s;
  return read_rules(child(behavior, "scaleDown"), key_path(bp, "scaleDown"), a.scale_down);
}

Status read_strategy(const YAML::Node& node, const std::string& path, DeploymentSpec& d) {
  if (auto s = expect_map(node, path, true); !s.ok()) return s;
  // Kubernetes also accepts the RollingUpdate fields under `rollingUpdate`.
  bool nested = !is_null(child(node, "rollingUpdate"));
  const YAML::Node fields = nested ? child(node, "rollingUpdate") : node;
  if (!is_null(child(node, "type"))) {
    TRY(t, read_string(child(node, "type"), key_path(path, "type")));
    if (t.value() != "RollingUpdate") {
      return Error(key_path(path, "type") + ": only RollingUpdate runs locally, got '" + t.value() +
                   "'");
    }
  }
  std::string fp = nested ? key_path(path, "rollingUpdate") : path;
  if (!is_null(child(fields, "maxSurge"))) {
    TRY(v, read_int_or_percent(child(fields, "maxSurge"), key_path(fp, "maxSurge")));
    d.max_surge = v.value();
  }
  if (!is_null(child(fields, "maxUnavailable"))) {
    TRY(v, read_int_or_percent(child(fields, "maxUnavailable"), key_path(fp, "maxUnavailable")));
    d.max_unavailable = v.value();
  }
  if (d.max_surge.value == 0 && d.max_unavailable.value == 0) {
    return Error(path + ": maxSurge and maxUnavailable may not both be 0");
  }
  return Status::Ok();
}

Status read_image(const YAML::Node& node, const std::string& path, std::string& repo,
                  std::string& tag) {
  if (auto s = expect_map(node, path, true); !s.ok()) return s;
  if (!is_null(child(node, "repository"))) {
    TRY(r, read_string(child(node, "repository"), key_path(path, "repository")));
    repo = r.value();
  }
  if (!is_null(child(node, "tag"))) {
    TRY(t, read_string(child(node, "tag"), key_path(path, "tag")));
    tag = t.value();
  }
  return Status::Ok();
}

Result<DeploymentSpec> read_deployment(const std::string& name, const YAML::Node& node,
                                       const std::string& path, const DeploymentSpec& defaults) {
  DeploymentSpec d = defaults;
  d.name = name;
  if (auto s = read_image(child(node, "image"), key_path(path, "image"), d.image_repository,
                          d.image_tag);
      !s.ok())
    return s.error();
  TRY(command, read_string_list(child(node, "command"), key_path(path, "command")));
  d.command = command.value();
  TRY(args, read_string_list(child(node, "args"), key_path(path, "args")));
  d.args = args.value();
  if (!is_null(child(node, "replicas"))) {
    TRY(r, read_int_at_least(child(node, "replicas"), key_path(path, "replicas"), 0));
    d.replicas = r.value();
  }
  if (auto s = read_ports(child(node, "ports"), key_path(path, "ports"), d); !s.ok())
    return s.error();
  YAML::Node svc = child(node, "service");
  std::string sp = key_path(path, "service");
  if (auto s = expect_map(svc, sp, true); !s.ok()) return s.error();
  if (!is_null(svc)) {
    ServiceSpec service;
    TRY(port, read_int(child(svc, "port"), key_path(sp, "port")));
    if (port.value() < 1 || port.value() > 65535) {
      return Error(key_path(sp, "port") + ": must be 1..65535, got " +
                   std::to_string(port.value()));
    }
    service.port = static_cast<int>(port.value());
    TRY(target, read_string(child(svc, "targetPort"), key_path(sp, "targetPort")));
    const ContainerPort* tp = d.port_named(target.value());
    if (tp == nullptr) {
      // A number names the container port with that number.
      for (const ContainerPort& p : d.ports) {
        if (std::to_string(p.container_port) == target.value()) tp = &p;
      }
    }
    if (tp == nullptr) {
      return Error(key_path(sp, "targetPort") + ": no container port '" + target.value() + "'");
    }
    service.target_port = tp->name;
    d.service = service;
  }
  if (!is_null(child(node, "addressEnv"))) {
    TRY(a, read_string(child(node, "addressEnv"), key_path(path, "addressEnv")));
    d.address_env = a.value();
  }
  if (!d.address_env.empty() && !d.service) {
    return Error(key_path(path, "addressEnv") + ": set but the service has no `service`");
  }
  TRY(deps, read_string_list(child(node, "dependencies"), key_path(path, "dependencies")));
  d.dependencies = deps.value();
  if (!is_null(child(node, "mountData"))) {
    TRY(m, read_bool(child(node, "mountData"), key_path(path, "mountData")));
    d.mount_data = m.value();
  }
  TRY(env, read_string_map(child(node, "env"), key_path(path, "env")));
  d.env = env.value();
  if (auto s = read_resources(child(node, "resources"), key_path(path, "resources"), d); !s.ok())
    return s.error();
  const std::pair<const char*, ProbeRole> probes[] = {{"livenessProbe", ProbeRole::kLiveness},
                                                      {"readinessProbe", ProbeRole::kReadiness},
                                                      {"startupProbe", ProbeRole::kStartup}};
  for (const auto& [key, role] : probes) {
    TRY(p, read_probe(child(node, key), key_path(path, key), role, d));
    (role == ProbeRole::kLiveness    ? d.liveness
     : role == ProbeRole::kReadiness ? d.readiness
                                     : d.startup) = p.value();
  }
  if (!is_null(child(node, "terminationGracePeriodSeconds"))) {
    TRY(g, read_int_at_least(child(node, "terminationGracePeriodSeconds"),
                             key_path(path, "terminationGracePeriodSeconds"), 0));
    d.termination_grace_period_seconds = g.value();
  }
  if (!is_null(child(node, "minReadySeconds"))) {
    TRY(m, read_int_at_least(child(node, "minReadySeconds"), key_path(path, "minReadySeconds"), 0));
    d.min_ready_seconds = m.value();
  }
  if (auto s = read_strategy(child(node, "strategy"), key_path(path, "strategy"), d); !s.ok())
    return s.error();
  if (auto s = read_autoscaling(child(node, "autoscaling"), key_path(path, "autoscaling"),
                                d.autoscaling);
      !s.ok())
    return s.error();
  if (d.autoscaling.enabled && d.cpu_request_millis <= 0) {
    return Error(key_path(path, "autoscaling") +
                 ": enabled, but resources.requests.cpu is not set (utilisation is against it)");
  }
  return d;
}

Status read_local(const YAML::Node& node, LocalRuntimeSpec& local) {
  const std::string path = "localRuntime";
  if (auto s = expect_map(node, path, true); !s.ok()) return s;
  TRY(execs, read_string_map(child(node, "executables"), key_path(path, "executables")));
  for (const auto& [k, v] : execs.value()) local.executables[k] = v;
  YAML::Node ports = child(node, "servicePorts");
  std::string pp = key_path(path, "servicePorts");
  if (auto s = expect_map(ports, pp, true); !s.ok()) return s;
  if (ports.IsDefined() && ports.IsMap()) {
    for (const auto& kv : ports) {
      std::string k = kv.first.Scalar();
      if (is_null(kv.second)) continue;
      TRY(port, read_int(kv.second, key_path(pp, k)));
      if (port.value() < 0 || port.value() > 65535) {
        return Error(key_path(pp, k) + ": must be 0..65535, got " + std::to_string(port.value()));
      }
      local.service_ports[k] = static_cast<int>(port.value());
    }
  }
  struct Seconds {
    const char* key;
    double* out;
  };
  const Seconds seconds[] = {
      {"hpaSyncPeriodSeconds", &local.hpa_sync_period_seconds},
      {"cpuWindowSeconds", &local.cpu_window_seconds},
      {"crashLoopBackOffBaseSeconds", &local.crash_loop_backoff_base_seconds},
      {"crashLoopBackOffMaxSeconds", &local.crash_loop_backoff_max_seconds}};
  for (const Seconds& s : seconds) {
    if (is_null(child(node, s.key))) continue;
    TRY(v, read_number(child(node, s.key), key_path(path, s.key)));
    if (v.value() <= 0 || v.value() > 86400) {
      return Error(key_path(path, s.key) + ": must be > 0 and <= 86400 seconds, got " +
                   child(node, s.key).Scalar());
    }
    *s.out = v.value();
  }
  if (local.crash_loop_backoff_max_seconds < local.crash_loop_backoff_base_seconds) {
    return Error(key_path(path, "crashLoopBackOffMaxSeconds") +
                 ": must be >= crashLoopBackOffBaseSeconds");
  }
  YAML::Node kube = child(node, "kubernetesApi");
  std::string kp = key_path(path, "kubernetesApi");
  if (auto s = expect_map(kube, kp, true); !s.ok()) return s;
  if (!is_null(child(kube, "extensions"))) {
    TRY(e, read_bool(child(kube, "extensions"), key_path(kp, "extensions")));
    local.kubernetes_api_extensions = e.value();
  }
  if (!is_null(child(node, "cpuLimits"))) {
    TRY(mode, read_string(child(node, "cpuLimits"), key_path(path, "cpuLimits")));
    if (mode.value() == "auto") {
      local.cpu_limits = CpuLimitsSetting::kAuto;
    } else if (mode.value() == "required") {
      local.cpu_limits = CpuLimitsSetting::kRequired;
    } else if (mode.value() == "off" || mode.value() == "false") {
      local.cpu_limits = CpuLimitsSetting::kOff;
    } else {
      return Error(key_path(path, "cpuLimits") + ": must be auto, required or off, got '" +
                   mode.value() + "'");
    }
  }
  return Status::Ok();
}

Result<Values> read_values_unchecked(const YAML::Node& root) {
  if (!root.IsDefined() || !root.IsMap())
    return Error("values: expected a map at the top, got " + describe(root));
  Values values;
  TRY(common, read_string_map(child(root, "commonEnv"), "commonEnv"));
  values.common_env = common.value();
  DeploymentSpec defaults;
  if (auto s =
          read_image(child(root, "image"), "image", defaults.image_repository, defaults.image_tag);
      !s.ok())
    return s.error();
  if (auto s = read_local(child(root, "localRuntime"), values.local); !s.ok()) return s.error();
  const YAML::Node services = child(root, "services");
  if (auto s = expect_map(services, "services"); !s.ok()) return s.error();
  std::set<std::string> enabled;
  for (const auto& kv : services) {
    std::string name = kv.first.Scalar();
    std::string path = key_path("services", name);
    if (auto s = expect_map(kv.second, path); !s.ok()) return s.error();
    bool on = true;
    if (!is_null(child(kv.second, "enabled"))) {
      TRY(e, read_bool(child(kv.second, "enabled"), key_path(path, "enabled")));
      on = e.value();
    }
    if (!on) continue;
    TRY(d, read_deployment(name, kv.second, path, defaults));
    values.deployments.push_back(std::move(d).value());
    enabled.insert(name);
  }
  // Dependencies: must name a service; disabled ones are left out, as the templates do.
  for (DeploymentSpec& d : values.deployments) {
    std::vector<std::string> kept;
    for (size_t i = 0; i < d.dependencies.size(); ++i) {
      const std::string& dep = d.dependencies[i];
      std::string p = "services." + d.name + ".dependencies[" + std::to_string(i) + "]";
      if (is_null(services[dep])) {
        return Error(p + ": unknown service '" + dep + "'");
      }
      if (enabled.count(dep) == 0) continue;
      const DeploymentSpec* target = values.deployment(dep);
      if (target->address_env.empty()) {
        return Error(p + ": service '" + dep + "' has no addressEnv to pass its address in");
      }
      kept.push_back(dep);
    }
    d.dependencies = kept;
  }
  for (const auto& [name, port] : values.local.service_ports) {
    if (services.IsDefined() && services.IsMap() && is_null(services[name])) {
      return Error("localRuntime.servicePorts." + name + ": unknown service '" + name + "'");
    }
  }
  return values;
}

}  // namespace

Result<Values> read_values(const YAML::Node& root) {
  try {
    return read_values_unchecked(root);
  } catch (const YAML::Exception& e) {
    // A shape the readers did not expect (e.g. a scalar where a map was indexed).
    return Error(std::string("values: ") + e.what());
  }
}

}  // namespace stampede::local
