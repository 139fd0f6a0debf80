// Decoding the local runtime's control API answers (docs/local-runtime-api.md) into platform
// types, and encoding the fault bodies it accepts. Lenient on fields it does not know and on
// absent optional ones (Kubernetes defaults apply); errors name the field that had the wrong type.
// Pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/platform/platform_types.h"

namespace stampede {

Result<std::vector<DeploymentState>> decode_deployments(const nlohmann::json& j);
Result<std::vector<PodState>> decode_pods(const nlohmann::json& j);
Result<std::vector<HpaState>> decode_hpas(const nlohmann::json& j);
Result<EventBatch> decode_events(const nlohmann::json& j);

// A probe object as the API reports it: Kubernetes field names (periodSeconds, ...) or their
// snake_case forms; the handler is whichever of httpGet/grpc/tcpSocket/exec is present, or a
// "kind" field naming it (what `stampede up` answers).
Result<ProbeSpec> decode_probe(const nlohmann::json& j);
Result<HpaState> decode_hpa(const nlohmann::json& j);

nlohmann::json encode_fault_knobs(const FaultKnobs& knobs);
nlohmann::json encode_network_fault(const NetworkFault& fault);

}  // namespace stampede
