// Discovery documents of the local Kubernetes API, in the legacy (unaggregated) form that
// client-go falls back to when the answer to its aggregated-discovery Accept is plain JSON:
// /version (version.Info), /api (APIVersions), /apis (APIGroupList), /apis/<group> (APIGroup)
// and the APIResourceLists of every group-version. Built from the resource catalog. Pure
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace stampede::local::kube {

// gitVersion v1.31.0-stampede: kubectl 1.31 sees a server of its own minor version.
nlohmann::json version_info();
nlohmann::json api_versions(uint16_t port);
nlohmann::json api_group_list(bool extensions);
// Null when there is no such group.
nlohmann::json api_group(const std::string& group, bool extensions);
nlohmann::json api_resource_list(const std::string& group, const std::string& version,
                                 bool extensions);

}  // namespace stampede::local::kube
