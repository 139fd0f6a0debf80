// The catalog of what the local Kubernetes API serves: every resource and subresource with its
// group, version, kind, verbs, short names, categories and the field selectors it supports.
// Discovery is rendered from it and the router checks verbs against it. Static data; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stampede::local::kube {

inline constexpr const char* kExtensionGroup = "local.stampede.dev";

// One catalog entry; static and immutable.
struct ResourceInfo {
  std::string group;     // "" for the core group
  std::string version;   // "v1"
  std::string name;      // "pods", or "pods/log" for a subresource
  std::string singular;  // "pod" ("" for subresources)
  std::string kind;      // "Pod"
  bool namespaced = true;
  std::vector<std::string> verbs;  // get, list, watch, delete, patch, update, create
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  // Set on a subresource whose kind lives in another group-version (deployments/scale).
  std::string kind_group;
  std::string kind_version;
  // Field selector fields beyond metadata.name and metadata.namespace.
  std::vector<std::string> fields;

  bool is_subresource() const { return name.find('/') != std::string::npos; }
  bool allows(std::string_view verb) const;
  // "pods", "deployments.apps" (how errors name the resource: `deployments.apps "x" not found`).
  std::string qualified() const;
  // "v1", "apps/v1".
  std::string group_version() const;
};

// Every resource and subresource; local.stampede.dev ones only when `extensions`.
std::vector<const ResourceInfo*> all_resources(bool extensions);
// The resource (or "parent/sub" subresource) of group/version, or null.
const ResourceInfo* find_resource(const std::string& group, const std::string& version,
                                  const std::string& name, bool extensions);
// The list kind of a resource's kind: "PodList".
std::string list_kind(const ResourceInfo& resource);
// The key the store keeps the resource's objects under ("pods", "podmetrics").
std::string store_key(const ResourceInfo& resource);
// Every field any resource supports in a field selector (metadata.name, status.phase, ...).
const std::vector<std::string>& selectable_fields();
// True when `field` may be used in a field selector on `resource`.
bool supports_field(const ResourceInfo& resource, const std::string& field);

}  // namespace stampede::local::kube
