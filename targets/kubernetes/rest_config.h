// RestConfig: where the Kubernetes API server is and who we are to it — client-go's rest.Config.
// Built by load_kubeconfig() (kubeconfig.h), in_cluster_config() (in_cluster.h) or
// load_rest_config() (client_config.h), or by hand in tests. A plain value: copy it freely; the
// live, rotating credentials it describes are held by Credentials (credentials.h).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace stampede::kube {

// kubeconfig `users[].user.exec.interactiveMode`. stampede always runs plugins with stdin from
// /dev/null, so IfAvailable means "not interactive" and Always is refused.
enum class ExecInteractiveMode { kNever, kIfAvailable, kAlways };

// A client-go credential plugin (kubeconfig `users[].user.exec`).
struct ExecConfig {
  std::string command;  // a name looked up on PATH, or a path (relative ones already resolved
                        // against the kubeconfig's directory by the loader)
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // set on top of the process environment
  std::string api_version = "client.authentication.k8s.io/v1";  // or .../v1beta1
  std::string install_hint;                                     // shown when `command` is missing
  bool provide_cluster_info = false;
  ExecInteractiveMode interactive_mode = ExecInteractiveMode::kIfAvailable;
  // The cluster's `extensions` entry named client.authentication.k8s.io/exec, handed to the
  // plugin as spec.cluster.config when provide_cluster_info; null when there is none.
  nlohmann::json cluster_config;
};

struct RestConfig {
  // Where.
  std::string server;     // "https://10.96.0.1:443"; a path prefix is allowed ("https://h/k8s")
  std::string proxy_url;  // "" = none (curl then honours https_proxy/no_proxy as kubectl does)
  // For messages: "kubeconfig /root/.kube/config, context kind-kind" or
  // "in-cluster service account system:serviceaccount:shop:runner".
  std::string source;
  std::string context;  // kubeconfig context name ("" in-cluster)
  std::string cluster;  // kubeconfig cluster and user names ("" in-cluster)
  std::string user;
  std::string namespace_name;  // the context's / the service account's namespace; "" when none

  // TLS. Data (PEM) wins over the file when both are set, as in kubectl.
  std::string ca_data;
  std::string ca_file;
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;  // the name to verify the server's certificate against (and SNI)
  std::string client_cert_data;
  std::string client_cert_file;
  std::string client_key_data;
  std::string client_key_file;

  // Who. One method is used, in this order: token file (re-read as it rotates), static bearer
  // token, basic auth, client certificate alone; the exec plugin only when none of the others
  // is set (as client-go does).
  std::string bearer_token;
  std::string token_file;
  std::optional<ExecConfig> exec;
  std::string username;
  std::string password;

  bool has_client_cert() const { return !client_cert_data.empty() || !client_cert_file.empty(); }
};

// The parts of RestConfig::server.
struct ServerUrl {
  std::string scheme;  // "https" or "http"
  std::string host;    // without brackets: "10.0.0.1", "::1", "api.example.com"
  int port = 0;        // explicit or the scheme's default
  std::string prefix;  // path prefix without a trailing '/': "" or "/k8s"

  // "https://[::1]:6443/k8s" (brackets for IPv6 hosts).
  std::string base() const;
  // "[::1]" for IPv6 literals, the host otherwise.
  std::string host_for_url() const;
};

// Parses `server`. Errors quote it: `server "ftp://x": the scheme must be https or http`.
Result<ServerUrl> parse_server_url(const std::string& server);

}  // namespace stampede::kube
