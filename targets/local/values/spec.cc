#include "targets/local/values/spec.h"

namespace stampede::local {

const char* probe_kind_name(ProbeKind kind) {
  switch (kind) {
    case ProbeKind::kHttpGet:
      return "httpGet";
    case ProbeKind::kGrpc:
      return "grpc";
    case ProbeKind::kTcpSocket:
      return "tcpSocket";
    case ProbeKind::kExec:
      return "exec";
  }
  return "?";
}

std::pair<int, int> resolve_fenceposts(const IntOrPercent& surge, const IntOrPercent& unavailable,
                                       int replicas) {
  // intstr.GetScaledValueFromIntOrPercent: surge rounds up, unavailable rounds down.
  int s = surge.percent ? (surge.value * replicas + 99) / 100 : surge.value;
  int u = unavailable.percent ? unavailable.value * replicas / 100 : unavailable.value;
  if (s == 0 && u == 0) u = 1;  // the Deployment controller's fencepost rule
  return {s, u};
}

const ContainerPort* DeploymentSpec::port_named(const std::string& port_name) const {
  for (const ContainerPort& p : ports) {
    if (p.name == port_name) return &p;
  }
  return nullptr;
}

const DeploymentSpec* Values::deployment(const std::string& name) const {
  for (const DeploymentSpec& d : deployments) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace stampede::local
