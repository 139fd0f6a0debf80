#include "targets/local/api/kube/kube_discovery.h"

#include <set>
#include <vector>

#include "targets/local/api/kube/kube_resources.h"

namespace stampede::local::kube {

using nlohmann::json;

namespace {

// The groups in the order the API server lists them, each with its one version.
std::vector<std::pair<std::string, std::string>> groups(bool extensions) {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  for (const ResourceInfo* r : all_resources(extensions)) {
    if (r->group.empty() || !seen.insert(r->group).second) continue;
    out.emplace_back(r->group, r->version);
  }
  return out;
}

json group_object(const std::string& group, const std::string& version) {
  json v = {{"groupVersion", group + "/" + version}, {"version", version}};
  return {{"name", group}, {"versions", json::array({v})}, {"preferredVersion", v}};
}

}  // namespace

json version_info() {
  return {{"major", "1"},
          {"minor", "31"},
          {"gitVersion", "v1.31.0-stampede"},
          {"gitCommit", "stampede-local"},
          {"gitTreeState", "clean"},
          {"buildDate", "2025-01-01T00:00:00Z"},
          {"goVersion", "go1.22.5"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

json api_versions(uint16_t port) {
  return {{"kind", "APIVersions"},
          {"versions", json::array({"v1"})},
          {"serverAddressByClientCIDRs",
           json::array({{{"clientCIDR", "0.0.0.0/0"},
                         {"serverAddress", "127.0.0.1:" + std::to_string(port)}}})}};
}

json api_group_list(bool extensions) {
  json list = json::array();
  for (const auto& [group, version] : groups(extensions)) {
    list.push_back(group_object(group, version));
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", list}};
}

json api_group(const std::string& group, bool extensions) {
  for (const auto& [g, version] : groups(extensions)) {
    if (g != group) continue;
    json o = group_object(g, version);
    o["kind"] = "APIGroup";
    o["apiVersion"] = "v1";
    return o;
  }
  return nullptr;
}

json api_resource_list(const std::string& group, const std::string& version, bool extensions) {
  json resources = json::array();
  for (const ResourceInfo* r : all_resources(extensions)) {
    if (r->group != group || r->version != version) continue;
    json o = {{"name", r->name},
              {"singularName", r->singular},
              {"namespaced", r->namespaced},
              {"kind", r->kind},
              {"verbs", r->verbs}};
    if (!r->kind_group.empty()) {
      o["group"] = r->kind_group;
      o["version"] = r->kind_version;
    }
    if (!r->short_names.empty()) o["shortNames"] = r->short_names;
    if (!r->categories.empty()) o["categories"] = r->categories;
    resources.push_back(o);
  }
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", group.empty() ? version : group + "/" + version},
          {"resources", resources}};
}

}  // namespace stampede::local::kube
