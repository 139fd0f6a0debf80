// PATCH bodies as the API server applies them: JSON merge patch (RFC 7386), JSON patch
// (RFC 6902) and Kubernetes' strategic merge patch. The strategic merge patch supported here is
// what kubectl sends for deployments: maps merge as in a merge patch; the lists kubectl could
// touch merge by their key (containers, initContainers, ephemeralContainers and volumes by
// name, ports by containerPort, env by name, volumeMounts by mountPath, volumeDevices by
// devicePath, imagePullSecrets by name, readinessGates by conditionType, conditions by type);
// other lists are replaced; `$patch: delete` (an element or a map) and `$patch: replace` (a
// list or a map) are honoured, `$deleteFromPrimitiveList/<field>` removes values, and
// `$setElementOrder/<field>` and `$retainKeys` are ignored. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::local::kube {

enum class PatchType { kMerge, kJson, kStrategic };

// The patch type of a Content-Type header ("application/merge-patch+json; charset=utf-8");
// nullopt when it is not one of the three (the API answers 415).
std::optional<PatchType> patch_type_for(std::string_view content_type);

// The result of apply_patch(): the document, or the Status code and message to answer.
struct PatchOutcome {
  int code = 200;  // 400: the patch is malformed; 422: it cannot be applied
  std::string error;
  nlohmann::json document;  // the patched document when code is 200
};

// Applies the patch text `body` of `type` to `original`.
PatchOutcome apply_patch(const nlohmann::json& original, PatchType type, std::string_view body);

// The strategic merge of `patch` (an object) into `original`.
nlohmann::json strategic_merge(const nlohmann::json& original, const nlohmann::json& patch);

}  // namespace stampede::local::kube
