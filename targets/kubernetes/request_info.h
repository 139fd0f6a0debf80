// What a REST call means to the API server's authorizer — its verb and resource, as
// k8s.io/apiserver's RequestInfoFactory reads them from the method and path — for error
// messages and RBAC hints; resource_path() builds such paths, and Query builds query strings.
// Pure functions and plain values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stampede::kube {

// A resource (or collection) of the API: /api/v1/namespaces/{ns}/pods/{name}/{subresource} or
// /apis/{group}/{version}/... . Empty fields are left out of the path.
struct ResourceRef {
  std::string group;  // "" for the core group (/api)
  std::string version = "v1";
  std::string namespace_name;  // "" for cluster-scoped resources or all namespaces
  std::string resource;        // plural: "pods", "deployments"
  std::string name;
  std::string subresource;  // "scale", "status", "log", "proxy"
};

// The path of `ref` (path segments percent-encoded): "/apis/apps/v1/namespaces/shop/deployments".
std::string resource_path(const ResourceRef& ref);

struct RequestInfo {
  std::string method;  // as given: "DELETE"
  std::string path;    // without the query
  bool is_resource_request = false;
  // The authorizer's verb: get, list, watch, create, update, patch, delete, deletecollection;
  // for non-resource paths (/version, /healthz, /api) the lower-case method.
  std::string verb;
  ResourceRef ref;

  // "pods", "deployments.apps", "deployments.apps/scale" — kubectl's resource.group spelling.
  std::string resource_name() const;
  // For messages: `delete pods "frontend-1" in namespace default`, `list deployments.apps in
  // namespace shop`, `watch pods` (all namespaces), `get nodes "n1"`, `GET /version`.
  std::string describe() const;
};

// Reads a request the way kube-apiserver does: `target` is a path with an optional query
// (watch=1|true makes a get/list a watch). Never fails: unknown shapes are non-resource requests.
RequestInfo describe_request(std::string_view method, std::string_view target);

// Percent-encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string percent_encode(std::string_view text);

// Query parameters in order; encode() gives "labelSelector=app%3Dcart&limit=500".
class Query {
 public:
  Query() = default;
  Query(std::initializer_list<std::pair<std::string, std::string>> params) : params_(params) {}
  Query& add(std::string name, std::string value) {
    params_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  bool empty() const { return params_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& params() const { return params_; }
  // Names and values percent-encoded, joined with '&'; "" when empty.
  std::string encode() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace stampede::kube
