#include "targets/local/api/kube/kube_request.h"

#include <algorithm>
#include <cctype>

#include "common/text.h"

namespace stampede::local::kube {

using nlohmann::json;
namespace bhttp = boost::beast::http;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Result<bool> bool_param(const http::Params& query, const char* name, bool otherwise) {
  auto v = query.get(name);
  if (!v) return otherwise;
  std::string s = lower(*v);
  if (s == "true" || s == "1") return true;
  if (s == "false" || s == "0" || s.empty()) return false;
  return Error(std::string(name) + ": Invalid value: \"" + *v + "\": must be true or false");
}

}  // namespace

Result<KubeRequest> parse_kube_request(const http::Request& request) {
  KubeRequest r;
  r.method = std::string(http::to_std(request.method_string()));
  http::Target target = http::split_target(request);
  r.raw_path = std::string(target.path);
  r.raw_query = std::string(target.query);
  auto query = http::parse_query(target.query);
  if (!query.ok()) return query.error();
  r.query = std::move(query).value();
  size_t pos = 0;
  const std::string& path = r.raw_path;
  while (pos < path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    if (slash > pos) {
      auto segment = http::percent_decode(std::string_view(path).substr(pos, slash - pos), false);
      if (!segment.ok()) return segment.error();
      r.segments.push_back(std::move(segment).value());
    }
    pos = slash + 1;
  }
  r.body = request.body();
  r.content_type = std::string(http::to_std(request[bhttp::field::content_type]));
  r.accept = std::string(http::to_std(request[bhttp::field::accept]));
  r.authorization = std::string(http::to_std(request[bhttp::field::authorization]));
  return r;
}

Negotiated negotiate(const std::string& accept) {
  Negotiated n;
  if (trim(accept).empty()) return n;
  size_t pos = 0;
  while (pos <= accept.size()) {
    size_t comma = accept.find(',', pos);
    if (comma == std::string::npos) comma = accept.size();
    std::string item = accept.substr(pos, comma - pos);
    pos = comma + 1;
    std::string type = lower(trim(item.substr(0, item.find(';'))));
    std::string as, group, version;
    size_t semi = item.find(';');
    while (semi != std::string::npos) {
      size_t next = item.find(';', semi + 1);
      std::string param =
          item.substr(semi + 1, next == std::string::npos ? std::string::npos : next - semi - 1);
      size_t eq = param.find('=');
      if (eq != std::string::npos) {
        std::string key = lower(trim(param.substr(0, eq)));
        std::string value = trim(param.substr(eq + 1));
        if (key == "as") as = value;
        if (key == "g") group = value;
        if (key == "v") version = value;
      }
      semi = next;
    }
    if (type == "application/json" && as == "Table" && group == "meta.k8s.io" &&
        (version == "v1" || version == "v1beta1")) {
      n.table = true;
      n.table_version = "meta.k8s.io/" + version;
      return n;
    }
    if ((type == "application/json" && as.empty()) || type == "*/*" || type == "application/*") {
      return n;
    }
  }
  n.acceptable = false;
  return n;
}

Result<ListOptions> parse_list_options(const http::Params& query) {
  ListOptions o;
  o.label_selector = query.get("labelSelector").value_or("");
  o.field_selector = query.get("fieldSelector").value_or("");
  auto watch = bool_param(query, "watch", false);
  if (!watch.ok()) return watch.error();
  o.watch = watch.value();
  auto bookmarks = bool_param(query, "allowWatchBookmarks", false);
  if (!bookmarks.ok()) return bookmarks.error();
  o.bookmarks = bookmarks.value();
  if (auto rv = query.get("resourceVersion"); rv && !rv->empty()) {
    bool digits = rv->size() <= 19 && std::all_of(rv->begin(), rv->end(), [](unsigned char c) {
                    return std::isdigit(c) != 0;
                  });
    if (!digits) {
      return Error("resourceVersion: Invalid value: \"" + *rv +
                   "\": must be a non-negative integer");
    }
    uint64_t v = std::stoull(*rv);
    if (v > 0) o.resource_version = v;
  }
  if (auto t = query.get("timeoutSeconds"); t && !t->empty()) {
    bool digits = t->size() <= 9 && std::all_of(t->begin(), t->end(), [](unsigned char c) {
                    return std::isdigit(c) != 0;
                  });
    if (!digits) {
      return Error("timeoutSeconds: Invalid value: \"" + *t + "\": must be a non-negative integer");
    }
    int64_t seconds = std::stoll(*t);
    if (seconds > 0) o.timeout = std::chrono::seconds(seconds);
  }
  if (auto inc = query.get("includeObject"); inc && !inc->empty()) {
    if (*inc == "None") {
      o.include = IncludeObject::kNone;
    } else if (*inc == "Object") {
      o.include = IncludeObject::kObject;
    } else if (*inc != "Metadata") {
      return Error("unrecognized includeObject value: \"" + *inc + "\"");
    }
  }
  return o;
}

http::Reply object_reply(const http::Request& request, int code, const json& body,
                         const std::string& content_type) {
  // Event messages and log-derived text may hold invalid UTF-8: replaced, never a failure.
  std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
  text += "\n";
  return {http::make_response(request, static_cast<bhttp::status>(code), content_type,
                              std::move(text))};
}

http::Reply status_reply(const http::Request& request, const stampede::kube::ApiStatus& status) {
  return object_reply(request, status.code, stampede::kube::status_json(status));
}

http::Reply status_reply(const http::Request& request, int code, const std::string& message) {
  return object_reply(request, code, stampede::kube::status_json(code, message));
}

stampede::kube::ApiStatus not_found(const std::string& resource, const std::string& group,
                                    const std::string& name) {
  stampede::kube::ApiStatus s;
  s.code = 404;
  s.reason = "NotFound";
  std::string qualified = group.empty() ? resource : resource + "." + group;
  s.message = qualified + " \"" + name + "\" not found";
  s.name = name;
  s.group = group;
  s.kind = resource;
  return s;
}

std::string content_type_of(const Negotiated& negotiated) {
  if (!negotiated.table) return "application/json";
  std::string version = negotiated.table_version.substr(negotiated.table_version.find('/') + 1);
  return "application/json;as=Table;v=" + version + ";g=meta.k8s.io";
}

}  // namespace stampede::local::kube
