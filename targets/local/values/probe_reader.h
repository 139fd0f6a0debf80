// Reads one Kubernetes probe (livenessProbe, readinessProbe, startupProbe) from the values.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "common/result.h"
#include "targets/local/values/spec.h"

namespace stampede::local {

enum class ProbeRole { kLiveness, kReadiness, kStartup };

// Null/absent -> nullopt. Applies Kubernetes' defaults (period 10, timeout 1, success 1,
// failure 3, initialDelay 0) and rules (exactly one handler; liveness and startup need
// successThreshold 1; ports resolved against `deployment`'s container ports). Errors name the
// key path: "services.cart.livenessProbe: unknown probe kind 'httpPost' (one of httpGet, grpc,
// tcpSocket, exec)".
Result<std::optional<ProbeSpec>> read_probe(const YAML::Node& node, const std::string& path,
                                            ProbeRole role, const DeploymentSpec& deployment);

}  // namespace stampede::local
