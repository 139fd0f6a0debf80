// Kubeconfig::parse: one kubeconfig file's YAML read into clusters, users and contexts, with
// relative paths resolved and `*-data` decoded; errors name the file and the key.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

#include "targets/kubernetes/base64.h"
#include "targets/kubernetes/kubeconfig.h"

namespace stampede::kube {
namespace {

namespace fs = std::filesystem;

// Scalars become JSON numbers, booleans and null where YAML would read them so; the rest strings.
nlohmann::json yaml_to_json(const YAML::Node& node) {
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& kv : node) out[kv.first.as<std::string>()] = yaml_to_json(kv.second);
    return out;
  }
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : node) out.push_back(yaml_to_json(item));
    return out;
  }
  if (!node.IsScalar()) return nullptr;
  const std::string& text = node.Scalar();
  if (node.Tag() != "!") {  // not quoted
    if (text == "null" || text == "~") return nullptr;
    if (text == "true") return true;
    if (text == "false") return false;
    nlohmann::json number = nlohmann::json::parse(text, nullptr, false);
    if (number.is_number()) return number;
  }
  return text;
}

// Reads one file's fields; errors name the file and the key path.
class FileReader {
 public:
  explicit FileReader(std::string file) : file_(std::move(file)) {
    std::error_code ec;
    fs::path absolute = fs::absolute(file_, ec);
    base_dir_ = (ec ? fs::path(file_) : absolute).parent_path();
  }

  Error error(const std::string& key, const std::string& what) const {
    return Error("kubeconfig " + file_ + ": " + key + ": " + what);
  }

  // A string field; "" when absent or null.
  Result<std::string> str(const YAML::Node& map, const std::string& key, const char* field) const {
    YAML::Node node = map[field];
    if (!node.IsDefined() || node.IsNull()) return std::string();
    if (!node.IsScalar()) return error(key + "." + field, "expected a string");
    return node.Scalar();
  }
  Result<bool> boolean(const YAML::Node& map, const std::string& key, const char* field) const {
    YAML::Node node = map[field];
    if (!node.IsDefined() || node.IsNull()) return false;
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      return error(key + "." + field, "expected true or false");
    }
    return value;
  }
  // A base64 `*-data` field, decoded.
  Result<std::string> data(const YAML::Node& map, const std::string& key, const char* field) const {
    auto text = str(map, key, field);
    if (!text.ok() || text.value().empty()) return text;
    auto decoded = base64_decode(text.value());
    if (!decoded) return error(key + "." + field, "not base64");
    return *decoded;
  }
  // A file path field, made absolute against the kubeconfig's directory.
  Result<std::string> path(const YAML::Node& map, const std::string& key, const char* field) const {
    auto text = str(map, key, field);
    if (!text.ok() || text.value().empty()) return text;
    return resolve(text.value());
  }
  std::string resolve(const std::string& p) const {
    if (fs::path(p).is_absolute()) return p;
    return (base_dir_ / p).lexically_normal().string();
  }
  // A map-valued section ({} when absent).
  Result<YAML::Node> section(const YAML::Node& map, const std::string& key,
                             const char* field) const {
    YAML::Node node = map[field];
    if (!node.IsDefined() || node.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!node.IsMap()) return error(key + "." + field, "expected a map");
    return node;
  }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  fs::path base_dir_;
};

// Sets *out or returns the error from the enclosing function.
#define KUBE_TRY_ASSIGN(out, expr)                               \
  do {                                                           \
    auto kube_try_result_ = (expr);                              \
    if (!kube_try_result_.ok()) return kube_try_result_.error(); \
    out = std::move(kube_try_result_).value();                   \
  } while (0)

Result<ExecConfig> read_exec(const FileReader& r, const YAML::Node& node, const std::string& key) {
  ExecConfig exec;
  KUBE_TRY_ASSIGN(exec.command, r.str(node, key, "command"));
  if (exec.command.empty()) return r.error(key + ".command", "not set");
  // Only a command with a '/' is a path; a bare name is looked up on PATH when it runs.
  if (exec.command.find('/') != std::string::npos) exec.command = r.resolve(exec.command);
  KUBE_TRY_ASSIGN(exec.api_version, r.str(node, key, "apiVersion"));
  if (exec.api_version.empty()) return r.error(key + ".apiVersion", "not set");
  KUBE_TRY_ASSIGN(exec.install_hint, r.str(node, key, "installHint"));
  KUBE_TRY_ASSIGN(exec.provide_cluster_info, r.boolean(node, key, "provideClusterInfo"));
  YAML::Node args = node["args"];
  if (args.IsDefined() && !args.IsNull()) {
    if (!args.IsSequence()) return r.error(key + ".args", "expected a list of strings");
    for (size_t i = 0; i < args.size(); ++i) {
      if (!args[i].IsScalar()) {
        return r.error(key + ".args[" + std::to_string(i) + "]", "expected a string");
      }
      exec.args.push_back(args[i].Scalar());
    }
  }
  YAML::Node env = node["env"];
  if (env.IsDefined() && !env.IsNull()) {
    if (!env.IsSequence()) return r.error(key + ".env", "expected a list of {name, value}");
    for (size_t i = 0; i < env.size(); ++i) {
      std::string at = key + ".env[" + std::to_string(i) + "]";
      if (!env[i].IsMap()) return r.error(at, "expected {name, value}");
      std::string name, value;
      KUBE_TRY_ASSIGN(name, r.str(env[i], at, "name"));
      KUBE_TRY_ASSIGN(value, r.str(env[i], at, "value"));
      if (name.empty()) return r.error(at + ".name", "not set");
      exec.env.emplace_back(name, value);
    }
  }
  std::string mode;
  KUBE_TRY_ASSIGN(mode, r.str(node, key, "interactiveMode"));
  // kubectl requires the mode for v1 and defaults it to IfAvailable for v1beta1; we accept its
  // absence for both, as IfAvailable (which here means "not interactive").
  if (mode.empty() || mode == "IfAvailable") {
    exec.interactive_mode = ExecInteractiveMode::kIfAvailable;
  } else if (mode == "Never") {
    exec.interactive_mode = ExecInteractiveMode::kNever;
  } else if (mode == "Always") {
    exec.interactive_mode = ExecInteractiveMode::kAlways;
  } else {
    return r.error(key + ".interactiveMode",
                   "\"" + mode + "\" is not one of Never, IfAvailable, Always");
  }
  return exec;
}

// Iterates a `clusters`/`users`/`contexts` list: fn(index_key, name, body) per entry.
template <typename Fn>
Status each_named(const FileReader& r, const YAML::Node& root, const char* list,
                  const char* body_field, Fn fn) {
  YAML::Node items = root[list];
  if (!items.IsDefined() || items.IsNull()) return Status::Ok();
  if (!items.IsSequence()) return r.error(list, "expected a list");
  std::set<std::string> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string at = std::string(list) + "[" + std::to_string(i) + "]";
    if (!items[i].IsMap())
      return r.error(at, "expected a map with name and " + std::string(body_field));
    auto name = r.str(items[i], at, "name");
    if (!name.ok()) return name.error();
    if (name.value().empty()) return r.error(at + ".name", "not set");
    if (!seen.insert(name.value()).second) {
      return r.error(at + ".name", "duplicate name \"" + name.value() + "\"");
    }
    auto body = r.section(items[i], at, body_field);
    if (!body.ok()) return body.error();
    if (Status s = fn(at + "." + body_field, name.value(), body.value()); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Result<Kubeconfig> Kubeconfig::parse(std::string_view text, const std::string& path) {
  Kubeconfig config;
  config.files_.push_back(path);
  FileReader r(path);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    return Error("kubeconfig " + path + ": YAML syntax error at line " +
                 std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1) +
                 ": " + e.msg);
  } catch (const YAML::Exception& e) {
    return Error("kubeconfig " + path + ": " + e.what());
  }
  if (!root.IsDefined() || root.IsNull()) return config;  // an empty file is an empty config
  if (!root.IsMap()) return Error("kubeconfig " + path + ": not a kubeconfig (expected a map)");

  Status s = each_named(
      r, root, "clusters", "cluster",
      [&](const std::string& key, const std::string& name, const YAML::Node& body) -> Status {
        Cluster c;
        c.origin = {path, key};
        KUBE_TRY_ASSIGN(c.server, r.str(body, key, "server"));
        KUBE_TRY_ASSIGN(c.ca_file, r.path(body, key, "certificate-authority"));
        KUBE_TRY_ASSIGN(c.ca_data, r.data(body, key, "certificate-authority-data"));
        KUBE_TRY_ASSIGN(c.insecure, r.boolean(body, key, "insecure-skip-tls-verify"));
        KUBE_TRY_ASSIGN(c.tls_server_name, r.str(body, key, "tls-server-name"));
        KUBE_TRY_ASSIGN(c.proxy_url, r.str(body, key, "proxy-url"));
        YAML::Node ext = body["extensions"];
        if (ext.IsDefined() && ext.IsSequence()) {
          for (const auto& e : ext) {
            if (e.IsMap() && e["name"].IsScalar() &&
                e["name"].Scalar() == "client.authentication.k8s.io/exec") {
              c.exec_extension = yaml_to_json(e["extension"]);
            }
          }
        }
        config.clusters_.emplace(name, std::move(c));
        return Status::Ok();
      });
  if (!s.ok()) return s.error();

  s = each_named(
      r, root, "users", "user",
      [&](const std::string& key, const std::string& name, const YAML::Node& body) -> Status {
        User u;
        u.origin = {path, key};
        KUBE_TRY_ASSIGN(u.cert_file, r.path(body, key, "client-certificate"));
        KUBE_TRY_ASSIGN(u.cert_data, r.data(body, key, "client-certificate-data"));
        KUBE_TRY_ASSIGN(u.key_file, r.path(body, key, "client-key"));
        KUBE_TRY_ASSIGN(u.key_data, r.data(body, key, "client-key-data"));
        KUBE_TRY_ASSIGN(u.token, r.str(body, key, "token"));
        KUBE_TRY_ASSIGN(u.token_file, r.path(body, key, "tokenFile"));
        KUBE_TRY_ASSIGN(u.username, r.str(body, key, "username"));
        KUBE_TRY_ASSIGN(u.password, r.str(body, key, "password"));
        YAML::Node exec = body["exec"];
        if (exec.IsDefined() && !exec.IsNull()) {
          if (!exec.IsMap()) return r.error(key + ".exec", "expected a map");
          auto parsed = read_exec(r, exec, key + ".exec");
          if (!parsed.ok()) return parsed.error();
          u.exec = std::move(parsed).value();
        }
        YAML::Node provider = body["auth-provider"];
        if (provider.IsDefined() && provider.IsMap()) {
          u.auth_provider = provider["name"].IsScalar() ? provider["name"].Scalar() : "(unnamed)";
        }
        config.users_.emplace(name, std::move(u));
        return Status::Ok();
      });
  if (!s.ok()) return s.error();

  s = each_named(
      r, root, "contexts", "context",
      [&](const std::string& key, const std::string& name, const YAML::Node& body) -> Status {
        Context c;
        c.origin = {path, key};
        KUBE_TRY_ASSIGN(c.cluster, r.str(body, key, "cluster"));
        KUBE_TRY_ASSIGN(c.user, r.str(body, key, "user"));
        KUBE_TRY_ASSIGN(c.namespace_name, r.str(body, key, "namespace"));
        config.contexts_.emplace(name, std::move(c));
        return Status::Ok();
      });
  if (!s.ok()) return s.error();

  YAML::Node current = root["current-context"];
  if (current.IsDefined() && !current.IsNull()) {
    if (!current.IsScalar()) return r.error("current-context", "expected a string");
    config.current_context_ = current.Scalar();
  }
  return config;
}

#undef KUBE_TRY_ASSIGN

}  // namespace stampede::kube
