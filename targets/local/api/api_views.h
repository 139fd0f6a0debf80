// JSON views of the runtime's state for the control API (docs/local-runtime-api.md). Control
// thread only: call these inside Runtime::call().
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "targets/local/runtime/runtime.h"

namespace stampede::local {

// {"mono_ns", "unix_ms"} of a monotonic instant.
nlohmann::json time_json(int64_t mono_ns);
nlohmann::json status_json(const Runtime& rt);
nlohmann::json deployment_json(const Runtime& rt, const Deployment& d);
nlohmann::json pod_json(const Runtime& rt, const Pod& pod);
// The HPA of `d` ({"deployment", "min_replicas", ...}), or null when it has none.
nlohmann::json hpa_json(const Runtime& rt, const Deployment& d);
nlohmann::json service_json(const Runtime& rt, const Deployment& d);
nlohmann::json event_json(const Event& e);
// A Service proxy's fault as the API shows it; null when no fault is set.
nlohmann::json fault_json(const ProxyFault& f);
nlohmann::json probe_json(const std::optional<ProbeSpec>& probe);

}  // namespace stampede::local
