// Where a request to the local Kubernetes API goes: /version, the health checks, discovery
// (/api, /apis, /api/v1, /apis/<group>[/<version>]), or a resource path
// (/api/v1[/namespaces/<ns>]/<resource>[/<name>[/<subresource>[/<rest>]]] and the same under
// /apis/<group>/<version>), with the verb Kubernetes gives the method. Pure; thread-safe.
#pragma once

#include <string>

#include "targets/local/api/kube/kube_request.h"
#include "targets/local/api/kube/kube_resources.h"

namespace stampede::local::kube {

// Where one request goes; a plain value (resource points into the static catalog).
struct Route {
  enum class Kind {
    kNotFound,      // 404: the server could not find the requested resource
    kVersion,       // /version
    kHealth,        // /healthz, /livez, /readyz (and their sub-checks)
    kApiVersions,   // /api
    kGroupList,     // /apis
    kGroup,         // /apis/<group>
    kResourceList,  // /api/v1, /apis/<group>/<version>
    kResource,      // a resource or subresource
  };
  Kind kind = Kind::kNotFound;
  std::string group;
  std::string version;
  const ResourceInfo* resource = nullptr;  // the resource, or the subresource addressed
  bool namespaced_path = false;            // under /namespaces/<ns>/
  std::string namespace_;                  // "" for all namespaces or a cluster-scoped object
  std::string name;                        // "" for a collection
  std::string subresource;                 // "log", "scale", "status", "proxy", "pause", ...
  std::string proxy_path;                  // pods/proxy: the rest, from '/', as it was sent
  std::string verb;                        // get, list, watch, delete, patch, update, create
};

// Routes `r`. A resource path the catalog does not hold is kNotFound; a method the resource has
// no verb for still routes (with its verb) so that the caller can answer 405.
Route route(const KubeRequest& r, bool watch, bool extensions);

}  // namespace stampede::local::kube
