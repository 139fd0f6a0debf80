#include "targets/kubernetes/request_info.h"

#include <cctype>

#include "common/http/url.h"

namespace stampede::kube {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > i) {
      std::string_view raw = path.substr(i, slash - i);
      auto decoded = http::percent_decode(raw, false);
      parts.push_back(decoded.ok() ? decoded.value() : std::string(raw));
    }
    i = slash + 1;
  }
  return parts;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool query_says_watch(std::string_view query) {
  auto params = http::parse_query(query);
  if (!params.ok()) return false;
  auto watch = params.value().get("watch");
  return watch && (*watch == "1" || *watch == "true");
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Query::encode() const {
  std::string out;
  for (const auto& [name, value] : params_) {
    if (!out.empty()) out += '&';
    out += percent_encode(name);
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

std::string resource_path(const ResourceRef& ref) {
  std::string path = ref.group.empty()
                         ? "/api/" + percent_encode(ref.version)
                         : "/apis/" + percent_encode(ref.group) + "/" + percent_encode(ref.version);
  if (!ref.namespace_name.empty()) path += "/namespaces/" + percent_encode(ref.namespace_name);
  if (!ref.resource.empty()) path += "/" + percent_encode(ref.resource);
  if (!ref.name.empty()) path += "/" + percent_encode(ref.name);
  if (!ref.subresource.empty()) path += "/" + percent_encode(ref.subresource);
  return path;
}

RequestInfo describe_request(std::string_view method, std::string_view target) {
  http::Target split = http::split_target(target);
  RequestInfo info;
  info.method = std::string(method);
  info.path = std::string(split.path);
  info.verb = lower(method);
  std::vector<std::string> parts = split_path(split.path);
  // /api/{version}/... or /apis/{group}/{version}/...; anything shorter is discovery.
  size_t at = 0;
  if (parts.size() >= 3 && parts[0] == "api") {
    info.ref.group = "";
    info.ref.version = parts[1];
    at = 2;
  } else if (parts.size() >= 4 && parts[0] == "apis") {
    info.ref.group = parts[1];
    info.ref.version = parts[2];
    at = 3;
  } else {
    return info;  // non-resource: /version, /healthz, /api, /apis/apps/v1
  }
  info.is_resource_request = true;
  std::vector<std::string> rest(parts.begin() + static_cast<std::ptrdiff_t>(at), parts.end());
  bool watch_prefix = false;
  if (!rest.empty() && rest[0] == "watch") {  // the deprecated /api/v1/watch/... form
    watch_prefix = true;
    rest.erase(rest.begin());
  }
  // namespaces/{ns}/{resource}...: a namespaced resource; namespaces/{name}[/status|finalize]
  // is the namespace object itself.
  if (rest.size() >= 2 && rest[0] == "namespaces") {
    info.ref.namespace_name = rest[1];
    if (rest.size() > 2 && rest[2] != "status" && rest[2] != "finalize") {
      rest.erase(rest.begin(), rest.begin() + 2);
    }
  }
  if (!rest.empty()) info.ref.resource = rest[0];
  if (rest.size() >= 2) info.ref.name = rest[1];
  if (rest.size() >= 3) info.ref.subresource = rest[2];  // pods/x/proxy/more/path: "proxy"
  if (info.ref.resource == "namespaces") {
    info.ref.namespace_name = info.ref.name;  // RBAC checks a namespace in its own namespace
  }
  bool watch = watch_prefix || query_says_watch(split.query);
  std::string m = lower(method);
  if (m == "get" || m == "head") {
    if (watch) {
      info.verb = "watch";
    } else {
      info.verb = info.ref.name.empty() ? "list" : "get";
    }
  } else if (m == "post") {
    info.verb = "create";
  } else if (m == "put") {
    info.verb = "update";
  } else if (m == "patch") {
    info.verb = "patch";
  } else if (m == "delete") {
    info.verb = info.ref.name.empty() ? "deletecollection" : "delete";
  }
  return info;
}

std::string RequestInfo::resource_name() const {
  std::string name = ref.resource;
  if (!ref.group.empty()) name += "." + ref.group;
  if (!ref.subresource.empty()) name += "/" + ref.subresource;
  return name;
}

std::string RequestInfo::describe() const {
  if (!is_resource_request) return method + " " + path;
  std::string text = verb + " " + resource_name();
  if (!ref.name.empty()) text += " \"" + ref.name + "\"";
  if (!ref.namespace_name.empty() && ref.resource != "namespaces") {
    text += " in namespace " + ref.namespace_name;
  }
  return text;
}

}  // namespace stampede::kube
