// Kubeconfig files, loaded the way kubectl loads them (k8s.io/client-go/tools/clientcmd):
// --kubeconfig FILE alone; else every file of $KUBECONFIG (colon-separated, missing ones
// skipped) merged — the first file that defines a cluster, user or context name wins it whole,
// current-context comes from the first file that sets one; else ~/.kube/config. Relative paths
// (certificate-authority, client-certificate, client-key, tokenFile, an exec command with a '/')
// are resolved against the directory of the file that defined them; `*-data` fields are
// base64-decoded. Errors are one line naming the file and the key. Kubeconfig is a plain value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "targets/kubernetes/env_lookup.h"
#include "targets/kubernetes/rest_config.h"

namespace stampede::kube {

struct KubeconfigOptions {
  std::string explicit_path;      // --kubeconfig; "" = $KUBECONFIG, else ~/.kube/config
  std::string context;            // --context; "" = current-context
  EnvLookup env = process_env();  // KUBECONFIG and HOME are read through it
};

// The files kubectl would read, in precedence order: the explicit one; else $KUBECONFIG's
// entries (empty ones dropped, duplicates removed); else $HOME/.kube/config (none without HOME).
std::vector<std::string> kubeconfig_files(const KubeconfigOptions& options);

class Kubeconfig {
 public:
  // Reads and merges the files of kubeconfig_files(options). Errors: the explicit file is
  // missing, none of the files exists, a file cannot be read or parsed ("kubeconfig /x/config:
  // YAML syntax error at line 3, column 5: ..."), a field has the wrong type or bad base64
  // ("kubeconfig /x/config: users[0].user.client-certificate-data: not base64"), a duplicate name.
  static Result<Kubeconfig> load(const KubeconfigOptions& options);
  // Parses one file's text; `path` names it in errors and anchors its relative paths.
  static Result<Kubeconfig> parse(std::string_view text, const std::string& path);
  // Merges `later` under this one: names this one defines win, current-context is kept if set.
  void merge_from(const Kubeconfig& later);

  // "kubeconfig /x/config" or "kubeconfig /a:/b" (the files merged, as KUBECONFIG lists them).
  std::string describe() const;
  const std::vector<std::string>& files() const { return files_; }
  const std::string& current_context() const { return current_context_; }
  // Context names, sorted.
  std::vector<std::string> context_names() const;

  // The RestConfig of `context` ("" = current-context). Errors: no context chosen, context not
  // found (`kubeconfig /x/config: context "prod" not found (contexts: dev, kind-kind)`), its
  // cluster or user missing, no server, a referenced file unreadable, a client certificate
  // without key, two authentication methods, an auth-provider (unsupported: use exec plugins).
  Result<RestConfig> rest_config(const std::string& context = "") const;

 private:
  // Where an entry came from, for messages: the file and its key ("users[1].user").
  struct Origin {
    std::string file;
    std::string key;
    std::string at(const std::string& field) const { return key + "." + field; }
  };
  struct Cluster {
    Origin origin;
    std::string server, ca_file, ca_data, tls_server_name, proxy_url;
    bool insecure = false;
    nlohmann::json exec_extension;  // extensions[name=client.authentication.k8s.io/exec]
  };
  struct User {
    Origin origin;
    std::string cert_file, cert_data, key_file, key_data, token, token_file, username, password;
    std::optional<ExecConfig> exec;
    std::string auth_provider;  // its name, when the user has one (unsupported)
  };
  struct Context {
    Origin origin;
    std::string cluster, user, namespace_name;
  };

  std::vector<std::string> files_;
  std::map<std::string, Cluster> clusters_;
  std::map<std::string, User> users_;
  std::map<std::string, Context> contexts_;
  std::string current_context_;
};

// Kubeconfig::load(options) then rest_config(options.context).
Result<RestConfig> load_kubeconfig(const KubeconfigOptions& options);

}  // namespace stampede::kube
