#include "targets/local/api/kube/kube_router.h"

namespace stampede::local::kube {
namespace {

bool known_group_version(const std::string& group, const std::string& version, bool extensions) {
  for (const ResourceInfo* r : all_resources(extensions)) {
    if (r->group == group && (version.empty() || r->version == version)) return true;
  }
  return false;
}

// The offset in `raw` just past its `count`-th non-empty segment.
size_t after_segments(const std::string& raw, size_t count) {
  size_t pos = 0, seen = 0;
  while (pos < raw.size() && seen < count) {
    while (pos < raw.size() && raw[pos] == '/') ++pos;
    while (pos < raw.size() && raw[pos] != '/') ++pos;
    ++seen;
  }
  return pos;
}

std::string verb_of(const std::string& method, bool named, bool watch) {
  if (method == "GET" || method == "HEAD") return named ? "get" : (watch ? "watch" : "list");
  if (method == "POST") return "create";
  if (method == "PUT") return "update";
  if (method == "PATCH") return "patch";
  if (method == "DELETE") return named ? "delete" : "deletecollection";
  return "";
}

}  // namespace

Route route(const KubeRequest& r, bool watch, bool extensions) {
  Route out;
  const std::vector<std::string>& s = r.segments;
  if (s.empty()) return out;
  if (s[0] == "version" && s.size() == 1) {
    out.kind = Route::Kind::kVersion;
    return out;
  }
  if (s[0] == "healthz" || s[0] == "livez" || s[0] == "readyz") {
    out.kind = Route::Kind::kHealth;
    return out;
  }
  size_t base = 0;  // segments before the resource part
  if (s[0] == "api") {
    if (s.size() == 1) {
      out.kind = Route::Kind::kApiVersions;
      return out;
    }
    if (s[1] != "v1") return out;
    out.version = "v1";
    base = 2;
  } else if (s[0] == "apis") {
    if (s.size() == 1) {
      out.kind = Route::Kind::kGroupList;
      return out;
    }
    out.group = s[1];
    if (!known_group_version(out.group, "", extensions)) return out;
    if (s.size() == 2) {
      out.kind = Route::Kind::kGroup;
      return out;
    }
    out.version = s[2];
    if (!known_group_version(out.group, out.version, extensions)) return out;
    base = 3;
  } else {
    return out;
  }
  if (s.size() == base) {
    out.kind = Route::Kind::kResourceList;
    return out;
  }
  std::vector<std::string> rest(s.begin() + static_cast<long>(base), s.end());
  size_t used = base;
  std::string resource;
  // /namespaces/<ns>/<resource>/... unless it addresses the Namespace object itself.
  if (rest[0] == "namespaces" && rest.size() >= 3) {
    out.namespaced_path = true;
    out.namespace_ = rest[1];
    resource = rest[2];
    rest.erase(rest.begin(), rest.begin() + 3);
    used += 3;
  } else {
    resource = rest[0];
    rest.erase(rest.begin());
    used += 1;
  }
  if (!rest.empty()) {
    out.name = rest[0];
    rest.erase(rest.begin());
    ++used;
  }
  if (!rest.empty()) {
    out.subresource = rest[0];
    rest.erase(rest.begin());
    ++used;
  }
  std::string full = out.subresource.empty() ? resource : resource + "/" + out.subresource;
  out.resource = find_resource(out.group, out.version, full, extensions);
  if (out.resource == nullptr) return out;
  if (!rest.empty()) {
    if (out.subresource != "proxy") return out;  // nothing but the proxy has a path beyond
  }
  if (out.subresource == "proxy") {
    out.proxy_path = r.raw_path.substr(after_segments(r.raw_path, used));
    if (out.proxy_path.empty()) out.proxy_path = "/";
  }
  // A namespaced resource outside /namespaces/ is only its all-namespaces collection.
  if (out.resource->namespaced && !out.namespaced_path && !out.name.empty()) return out;
  if (!out.resource->namespaced && out.namespaced_path) return out;
  out.verb = verb_of(r.method, !out.name.empty(), watch);
  out.kind = Route::Kind::kResource;
  return out;
}

}  // namespace stampede::local::kube
