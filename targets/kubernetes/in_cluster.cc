#include "targets/kubernetes/in_cluster.h"

#include <nlohmann/json.hpp>

#include "common/read_file.h"
#include "common/text.h"
#include "targets/kubernetes/base64.h"

namespace stampede::kube {
namespace {

std::string get(const EnvLookup& env, const char* name) {
  auto value = env(name);
  return value ? *value : "";
}

}  // namespace

bool in_cluster_available(const EnvLookup& env) {
  return !get(env, "KUBERNETES_SERVICE_HOST").empty() &&
         !get(env, "KUBERNETES_SERVICE_PORT").empty();
}

std::string jwt_subject(const std::string& token) {
  size_t first = token.find('.');
  if (first == std::string::npos) return "";
  size_t second = token.find('.', first + 1);
  if (second == std::string::npos) return "";
  auto payload = base64url_decode(std::string_view(token).substr(first + 1, second - first - 1));
  if (!payload) return "";
  nlohmann::json claims = nlohmann::json::parse(*payload, nullptr, false);
  if (!claims.is_object()) return "";
  auto sub = claims.find("sub");
  return sub != claims.end() && sub->is_string() ? sub->get<std::string>() : "";
}

Result<RestConfig> in_cluster_config(const InClusterOptions& options) {
  std::string host = get(options.env, "KUBERNETES_SERVICE_HOST");
  std::string port = get(options.env, "KUBERNETES_SERVICE_PORT");
  if (host.empty() || port.empty()) {
    return Error(
        "in-cluster configuration: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be "
        "defined (not running in a pod?)");
  }
  RestConfig config;
  bool ipv6 = host.find(':') != std::string::npos && host.front() != '[';
  config.server = "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
  if (auto parsed = parse_server_url(config.server); !parsed.ok()) {
    return parsed.error().with_context("in-cluster configuration");
  }
  config.token_file = options.dir + "/token";
  auto token = read_text_file(config.token_file);
  if (!token.ok()) return token.error().with_context("in-cluster service account token");
  if (trim(token.value()).empty()) {
    return Error("in-cluster service account token " + config.token_file + ": empty");
  }
  // client-go only logs a missing ca.crt and falls back to the system roots; so do we.
  std::string ca = options.dir + "/ca.crt";
  if (read_text_file(ca).ok()) config.ca_file = ca;
  std::string ns = get(options.env, "POD_NAMESPACE");
  if (ns.empty()) {
    auto file = read_text_file(options.dir + "/namespace");
    if (file.ok()) ns = trim(file.value());
  }
  config.namespace_name = ns;
  std::string subject = jwt_subject(trim(token.value()));
  config.source = "in-cluster service account" + (subject.empty() ? "" : " " + subject);
  return config;
}

}  // namespace stampede::kube
