#include "targets/local/values/probe_reader.h"

#include <set>

#include "targets/local/values/node_read.h"

namespace stampede::local {
namespace {

const std::set<std::string> kHandlers = {"httpGet", "grpc", "tcpSocket", "exec"};
const std::set<std::string> kFields = {"initialDelaySeconds", "periodSeconds",
                                       "timeoutSeconds",      "successThreshold",
                                       "failureThreshold",    "terminationGracePeriodSeconds"};

// A port given by name or number -> the name of the container port it means.
Result<std::string> resolve_port(const YAML::Node& node, const std::string& path,
                                 const DeploymentSpec& d) {
  if (is_null(node)) return Error(path + ": required");
  auto number = read_int(node, path);
  if (number.ok()) {
    for (const ContainerPort& p : d.ports) {
      if (p.container_port == number.value()) return p.name;
    }
    return Error(path + ": " + std::to_string(number.value()) +
                 " is not one of the container's ports (the local runtime only knows those)");
  }
  auto name = read_string(node, path);
  if (!name.ok()) return name.error();
  if (d.port_named(name.value()) == nullptr) {
    return Error(path + ": no container port named '" + name.value() + "'");
  }
  return name.value();
}

Status read_handler(const std::string& kind, const YAML::Node& h, const std::string& path,
                    const DeploymentSpec& d, ProbeSpec& probe) {
  if (auto s = expect_map(h, path); !s.ok()) return s;
  auto child = [&](const char* key) { return h[key]; };
  if (kind == "exec") {
    probe.kind = ProbeKind::kExec;
    auto cmd = read_string_list(child("command"), key_path(path, "command"));
    if (!cmd.ok()) return cmd.error();
    if (cmd.value().empty()) return Error(key_path(path, "command") + ": must not be empty");
    probe.command = cmd.value();
    return Status::Ok();
  }
  auto port = resolve_port(child("port"), key_path(path, "port"), d);
  if (!port.ok()) return port.error();
  probe.port_name = port.value();
  if (kind == "tcpSocket") {
    probe.kind = ProbeKind::kTcpSocket;
  } else if (kind == "grpc") {
    probe.kind = ProbeKind::kGrpc;
    if (!is_null(child("service"))) {
      auto s = read_string(child("service"), key_path(path, "service"));
      if (!s.ok()) return s.error();
      probe.grpc_service = s.value();
    }
  } else {
    probe.kind = ProbeKind::kHttpGet;
    if (!is_null(child("path"))) {
      auto p = read_string(child("path"), key_path(path, "path"));
      if (!p.ok()) return p.error();
      probe.path = p.value().empty() ? "/" : p.value();
      if (probe.path[0] != '/') probe.path = "/" + probe.path;
    }
    if (!is_null(child("scheme"))) {
      auto s = read_string(child("scheme"), key_path(path, "scheme"));
      if (!s.ok()) return s.error();
      if (s.value() != "HTTP" && s.value() != "HTTPS") {
        return Error(key_path(path, "scheme") + ": must be HTTP or HTTPS, got '" + s.value() + "'");
      }
      if (s.value() == "HTTPS") {
        return Error(key_path(path, "scheme") + ": HTTPS probes are not supported locally");
      }
    }
    YAML::Node headers = child("httpHeaders");
    if (!is_null(headers)) {
      std::string hp = key_path(path, "httpHeaders");
      if (!headers.IsDefined() || !headers.IsSequence())
        return Error(hp + ": expected a list, got " + describe(headers));
      for (size_t i = 0; i < headers.size(); ++i) {
        std::string ip = hp + "[" + std::to_string(i) + "]";
        if (auto s = expect_map(headers[i], ip); !s.ok()) return s;
        auto n = read_string(headers[i]["name"], ip + ".name");
        if (!n.ok()) return n.error();
        auto v = read_string(headers[i]["value"], ip + ".value");
        if (!v.ok()) return v.error();
        probe.http_headers.emplace_back(n.value(), v.value());
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<ProbeSpec>> read_probe(const YAML::Node& node, const std::string& path,
                                            ProbeRole role, const DeploymentSpec& d) {
  if (is_null(node)) return std::optional<ProbeSpec>();
  if (auto s = expect_map(node, path); !s.ok()) return s.error();
  ProbeSpec probe;
  std::string handler;
  for (const auto& kv : node) {
    std::string key = kv.first.Scalar();
    if (kHandlers.count(key) != 0) {
      if (is_null(kv.second)) continue;
      if (!handler.empty()) {
        return Error(path + ": more than one handler ('" + handler + "' and '" + key +
                     "'); a probe has exactly one");
      }
      handler = key;
    } else if (kFields.count(key) == 0) {
      if (kv.second.IsDefined() && kv.second.IsMap()) {
        return Error(path + ": unknown probe kind '" + key +
                     "' (one of httpGet, grpc, tcpSocket, exec)");
      }
      return Error(key_path(path, key) + ": unknown probe field");
    }
  }
  if (handler.empty()) {
    return Error(path + ": no handler; a probe needs one of httpGet, grpc, tcpSocket, exec");
  }
  if (auto s = read_handler(handler, node[handler], key_path(path, handler), d, probe); !s.ok()) {
    return s.error();
  }
  struct Field {
    const char* key;
    int* out;
    int min;
  };
  const Field fields[] = {{"initialDelaySeconds", &probe.initial_delay_seconds, 0},
                          {"periodSeconds", &probe.period_seconds, 1},
                          {"timeoutSeconds", &probe.timeout_seconds, 1},
                          {"successThreshold", &probe.success_threshold, 1},
                          {"failureThreshold", &probe.failure_threshold, 1}};
  for (const Field& f : fields) {
    YAML::Node v = node[f.key];
    if (is_null(v)) continue;  // Kubernetes' default
    auto n = read_int_at_least(v, key_path(path, f.key), f.min);
    if (!n.ok()) return n.error();
    *f.out = n.value();
  }
  if (role != ProbeRole::kReadiness && probe.success_threshold != 1) {
    return Error(key_path(path, "successThreshold") + ": must be 1 for " +
                 (role == ProbeRole::kLiveness ? "liveness" : "startup") + " probes, got " +
                 std::to_string(probe.success_threshold));
  }
  YAML::Node grace = node["terminationGracePeriodSeconds"];
  if (!is_null(grace)) {
    std::string gp = key_path(path, "terminationGracePeriodSeconds");
    if (role == ProbeRole::kReadiness) return Error(gp + ": not allowed on a readiness probe");
    auto n = read_int_at_least(grace, gp, 0);
    if (!n.ok()) return n.error();
    probe.termination_grace_period_seconds = n.value();
  }
  return std::optional<ProbeSpec>(probe);
}

}  // namespace stampede::local
