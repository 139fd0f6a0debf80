// The container of a pod or of a pod template in Kubernetes' shape (core/v1 Container): name
// (the service's), image, command and args as the values give them (unexpanded, as in a pod
// spec), ports, resources and the three probes; for a running pod also each port's hostPort
// (the loopback port the runtime picked) and the environment (the admin token as a reference
// to the admin-token Secret, as the chart does). Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "targets/local/runtime/pod.h"
#include "targets/local/values/spec.h"

namespace stampede::local::kube {

// "<repository>:<tag>" ("local" when the values give no tag).
std::string image_of(const DeploymentSpec& spec);
// "local://<the executable that stands in for the image>".
std::string image_id_of(const DeploymentSpec& spec, const LocalRuntimeSpec& local);
// A Probe object; null when there is no probe.
nlohmann::json probe_object(const DeploymentSpec& spec, const std::optional<ProbeSpec>& probe);
// {"requests": {...}, "limits": {...}} with Kubernetes quantities.
nlohmann::json resources_object(const DeploymentSpec& spec);
// Guaranteed, Burstable or BestEffort, as the API server computes it for one container.
std::string qos_class(const DeploymentSpec& spec);
// The Container; `pod` adds hostPorts and env (null: the template's container).
nlohmann::json container_object(const DeploymentSpec& spec, const Pod* pod);

}  // namespace stampede::local::kube
