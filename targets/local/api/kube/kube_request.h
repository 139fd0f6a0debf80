// One request to the local Kubernetes API, parsed: method, path segments (percent-decoded),
// query parameters, body and the headers that matter; content negotiation of `Accept` (JSON or
// a meta.k8s.io Table, as kubectl asks for server-side printing); the list and watch options
// (labelSelector, fieldSelector, watch, resourceVersion, timeoutSeconds, allowWatchBookmarks,
// includeObject); and Status replies. `limit` and `continue` are accepted and ignored: every
// list is answered whole. Stateless helpers; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/http/server.h"
#include "common/http/url.h"
#include "common/result.h"
#include "targets/kubernetes/api_status.h"
#include "targets/local/api/kube/kube_table.h"

namespace stampede::local::kube {

// A parsed request; a plain value owned by its handler call.
struct KubeRequest {
  std::string method;
  std::string raw_path;               // as sent, without the query
  std::vector<std::string> segments;  // "/api/v1/pods" -> {"api", "v1", "pods"}, decoded
  std::string raw_query;              // without the '?'
  http::Params query;
  std::string body;
  std::string content_type;
  std::string accept;
  std::string authorization;
};

// Splits and decodes the target. Errors: a malformed percent escape in the path or query.
Result<KubeRequest> parse_kube_request(const http::Request& request);

// What the client accepts, from its Accept header.
struct Negotiated {
  bool table = false;  // a meta.k8s.io Table
  std::string table_version = "meta.k8s.io/v1";
  bool acceptable = true;  // false: nothing we can produce (406)
};
Negotiated negotiate(const std::string& accept);

// A list or watch request's options; a plain value.
struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  bool watch = false;
  std::optional<uint64_t> resource_version;  // nullopt: absent, "" or "0" (from now)
  std::chrono::seconds timeout{1800};        // a watch's timeoutSeconds (default 30 min)
  bool bookmarks = false;                    // allowWatchBookmarks
  IncludeObject include = IncludeObject::kMetadata;
};
// Errors are the API server's 400 messages ("resourceVersion: invalid value 'x'").
Result<ListOptions> parse_list_options(const http::Params& query);

// Replies: a JSON object with `code` and a content type; a Status.
http::Reply object_reply(const http::Request& request, int code, const nlohmann::json& body,
                         const std::string& content_type = "application/json");
http::Reply status_reply(const http::Request& request, const stampede::kube::ApiStatus& status);
http::Reply status_reply(const http::Request& request, int code, const std::string& message);
// The Status of a missing named object: `pods "x" not found`, `deployments.apps "x" not found`.
stampede::kube::ApiStatus not_found(const std::string& resource, const std::string& group,
                                    const std::string& name);
// The content type of a reply in `negotiated` form.
std::string content_type_of(const Negotiated& negotiated);

}  // namespace stampede::local::kube
