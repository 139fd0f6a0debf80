#include "targets/kubernetes/kubeconfig.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace stampede::kube {
namespace {

namespace fs = std::filesystem;

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

template <typename Map>
std::string names_of(const Map& map) {
  std::vector<std::string> names;
  for (const auto& [name, value] : map) names.push_back(name);
  return names.empty() ? "none" : join(names, ", ");
}

Result<std::string> read_file_text(const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error("kubeconfig " + path + ": " + std::strerror(errno != 0 ? errno : ENOENT));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error("kubeconfig " + path + ": read failed");
  return text.str();
}

bool exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

// Checks that a file named by the kubeconfig can be read (kubectl fails early as well).
Status readable(const std::string& path, const std::string& described_as) {
  std::ifstream in(path, std::ios::binary);
  if (in) return Status::Ok();
  return Error(described_as + ": " + path + ": " + std::strerror(errno != 0 ? errno : ENOENT));
}

}  // namespace

std::vector<std::string> kubeconfig_files(const KubeconfigOptions& options) {
  if (!options.explicit_path.empty()) return {options.explicit_path};
  std::vector<std::string> files;
  auto list = options.env("KUBECONFIG");
  if (list && !list->empty()) {
    std::set<std::string> seen;
    size_t start = 0;
    while (start <= list->size()) {
      size_t end = list->find(':', start);
      if (end == std::string::npos) end = list->size();
      std::string file = list->substr(start, end - start);
      if (!file.empty() && seen.insert(file).second) files.push_back(file);
      start = end + 1;
    }
    return files;
  }
  auto home = options.env("HOME");
  if (home && !home->empty()) files.push_back(*home + "/.kube/config");
  return files;
}

void Kubeconfig::merge_from(const Kubeconfig& later) {
  files_.insert(files_.end(), later.files_.begin(), later.files_.end());
  // std::map::insert keeps what is there: the first file to define a name wins it whole.
  clusters_.insert(later.clusters_.begin(), later.clusters_.end());
  users_.insert(later.users_.begin(), later.users_.end());
  contexts_.insert(later.contexts_.begin(), later.contexts_.end());
  if (current_context_.empty()) current_context_ = later.current_context_;
}

Result<Kubeconfig> Kubeconfig::load(const KubeconfigOptions& options) {
  std::vector<std::string> files = kubeconfig_files(options);
  if (!options.explicit_path.empty() && !exists(options.explicit_path)) {
    return Error("kubeconfig " + options.explicit_path + ": No such file or directory");
  }
  std::optional<Kubeconfig> merged;
  std::vector<std::string> missing;
  for (const std::string& file : files) {
    if (!exists(file)) {
      missing.push_back(file);  // kubectl skips missing files of the list
      continue;
    }
    auto text = read_file_text(file);
    if (!text.ok()) return text.error();
    auto parsed = parse(text.value(), file);
    if (!parsed.ok()) return parsed.error();
    if (merged) {
      merged->merge_from(parsed.value());
    } else {
      merged = std::move(parsed).value();
    }
  }
  if (!merged) {
    auto list = options.env("KUBECONFIG");
    if (list && !list->empty()) {
      return Error("no kubeconfig found: none of the files KUBECONFIG lists exists (" +
                   join(missing, ", ") + ")");
    }
    if (files.empty()) return Error("no kubeconfig found: HOME and KUBECONFIG are not set");
    return Error("no kubeconfig found: " + files[0] +
                 " does not exist (pass --kubeconfig or set KUBECONFIG)");
  }
  return std::move(*merged);
}

std::string Kubeconfig::describe() const {
  return "kubeconfig " + join(files_, ":");
}

std::vector<std::string> Kubeconfig::context_names() const {
  std::vector<std::string> names;
  for (const auto& [name, context] : contexts_) names.push_back(name);
  return names;
}

Result<RestConfig> Kubeconfig::rest_config(const std::string& wanted) const {
  std::string what = describe();
  std::string name = wanted.empty() ? current_context_ : wanted;
  if (name.empty()) {
    return Error(what + ": no current-context is set and no context was chosen (contexts: " +
                 names_of(contexts_) + ")");
  }
  auto context_it = contexts_.find(name);
  if (context_it == contexts_.end()) {
    return Error(what + ": context \"" + name + "\" not found (contexts: " + names_of(contexts_) +
                 ")");
  }
  const Context& context = context_it->second;
  auto in_file = [](const Origin& o) { return "kubeconfig " + o.file + ": "; };
  if (context.cluster.empty()) {
    return Error(in_file(context.origin) + context.origin.at("cluster") + ": not set");
  }
  auto cluster_it = clusters_.find(context.cluster);
  if (cluster_it == clusters_.end()) {
    return Error(in_file(context.origin) + context.origin.at("cluster") + ": cluster \"" +
                 context.cluster + "\" not found (clusters: " + names_of(clusters_) + ")");
  }
  const Cluster& cluster = cluster_it->second;
  const User* user = nullptr;
  if (!context.user.empty()) {
    auto user_it = users_.find(context.user);
    if (user_it == users_.end()) {
      return Error(in_file(context.origin) + context.origin.at("user") + ": user \"" +
                   context.user + "\" not found (users: " + names_of(users_) + ")");
    }
    user = &user_it->second;
  }

  RestConfig config;
  config.source = "kubeconfig " + context.origin.file + ", context " + name;
  config.context = name;
  config.cluster = context.cluster;
  config.user = context.user;
  config.namespace_name = context.namespace_name;
  config.server = cluster.server;
  if (config.server.empty()) {
    return Error(in_file(cluster.origin) + cluster.origin.at("server") + ": not set (cluster \"" +
                 context.cluster + "\")");
  }
  if (auto parsed = parse_server_url(config.server); !parsed.ok()) {
    return Error(in_file(cluster.origin) + cluster.origin.at("server") + ": " +
                 parsed.error().message());
  }
  config.ca_data = cluster.ca_data;
  if (config.ca_data.empty()) config.ca_file = cluster.ca_file;
  config.insecure_skip_tls_verify = cluster.insecure;
  config.tls_server_name = cluster.tls_server_name;
  config.proxy_url = cluster.proxy_url;
  if (!config.ca_file.empty()) {
    Status s = readable(config.ca_file,
                        in_file(cluster.origin) + cluster.origin.at("certificate-authority"));
    if (!s.ok()) return s.error();
  }
  if (user == nullptr) return config;

  const Origin& o = user->origin;
  std::vector<std::string> methods;
  if (!user->token.empty() || !user->token_file.empty()) methods.push_back("token");
  if (!user->username.empty() || !user->password.empty()) methods.push_back("basicAuth");
  if (methods.size() > 1) {
    return Error(in_file(o) + o.key + ": more than one authentication method (" +
                 join(methods, ", ") + "); only one is allowed");
  }
  bool has_cert = !user->cert_data.empty() || !user->cert_file.empty();
  bool has_key = !user->key_data.empty() || !user->key_file.empty();
  if (has_cert != has_key) {
    return Error(in_file(o) + o.key + ": " +
                 (has_cert ? "client-certificate without client-key(-data)"
                           : "client-key without client-certificate(-data)"));
  }
  config.client_cert_data = user->cert_data;
  if (config.client_cert_data.empty()) config.client_cert_file = user->cert_file;
  config.client_key_data = user->key_data;
  if (config.client_key_data.empty()) config.client_key_file = user->key_file;
  for (auto [file, field] : {std::pair{config.client_cert_file, "client-certificate"},
                             std::pair{config.client_key_file, "client-key"}}) {
    if (file.empty()) continue;
    if (Status s = readable(file, in_file(o) + o.at(field)); !s.ok()) return s.error();
  }
  // kubectl: a token given inline wins over tokenFile.
  config.bearer_token = user->token;
  if (config.bearer_token.empty() && !user->token_file.empty()) {
    config.token_file = user->token_file;
    if (Status s = readable(config.token_file, in_file(o) + o.at("tokenFile")); !s.ok()) {
      return s.error();
    }
  }
  config.username = user->username;
  config.password = user->password;
  if (user->exec) {
    config.exec = *user->exec;
    config.exec->cluster_config = cluster.exec_extension;
  } else if (!user->auth_provider.empty() && methods.empty() && !has_cert) {
    return Error(in_file(o) + o.at("auth-provider") + ": \"" + user->auth_provider +
                 "\" is not supported: use an exec credential plugin instead (kubelogin, "
                 "gke-gcloud-auth-plugin, aws eks get-token)");
  }
  return config;
}

Result<RestConfig> load_kubeconfig(const KubeconfigOptions& options) {
  auto config = Kubeconfig::load(options);
  if (!config.ok()) return config.error();
  return config.value().rest_config(options.context);
}

}  // namespace stampede::kube
