#include "targets/kubernetes/exec_credential.h"

#include <unistd.h>

#include <algorithm>

#include "common/read_file.h"
#include "common/text.h"
#include "targets/kubernetes/base64.h"
#include "targets/kubernetes/kube_json.h"
#include "targets/kubernetes/kube_time.h"
#include "targets/kubernetes/subprocess.h"

extern char** environ;

namespace stampede::kube {
namespace {

constexpr const char* kExecInfoEnv = "KUBERNETES_EXEC_INFO";

// Several lines of plugin output (stderr, an install hint) as one line of an error message.
std::string one_line(const std::string& text, size_t max = 600) {
  std::string out;
  for (char c : trim(text)) {
    if (c == '\n') {
      out += " | ";
    } else if (c != '\r') {
      out += c;
    }
  }
  if (out.size() > max) out = "..." + out.substr(out.size() - max);
  return out;
}

std::vector<std::string> process_environment() {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  return env;
}

// `env` with NAME=value set (replacing an earlier NAME), as Go's exec does with duplicates.
void set_env(std::vector<std::string>& env, const std::string& name, const std::string& value) {
  std::string prefix = name + "=";
  env.erase(std::remove_if(env.begin(), env.end(),
                           [&](const std::string& e) { return e.rfind(prefix, 0) == 0; }),
            env.end());
  env.push_back(prefix + value);
}

std::string env_value(const std::vector<std::string>& env, const std::string& name) {
  std::string prefix = name + "=";
  for (const std::string& e : env) {
    if (e.rfind(prefix, 0) == 0) return e.substr(prefix.size());
  }
  return "";
}

bool known_api_version(const std::string& v) {
  return v == "client.authentication.k8s.io/v1" || v == "client.authentication.k8s.io/v1beta1";
}

}  // namespace

Result<nlohmann::json> exec_credential_request(const ExecConfig& exec, const RestConfig& rest) {
  nlohmann::json spec = {{"interactive", false}};
  if (exec.provide_cluster_info) {
    nlohmann::json cluster = {{"server", rest.server}};
    if (!rest.tls_server_name.empty()) cluster["tls-server-name"] = rest.tls_server_name;
    if (rest.insecure_skip_tls_verify) cluster["insecure-skip-tls-verify"] = true;
    std::string ca = rest.ca_data;
    if (ca.empty() && !rest.ca_file.empty()) {
      auto read = read_text_file(rest.ca_file);
      if (!read.ok()) return read.error().with_context("certificate-authority for the exec plugin");
      ca = read.value();
    }
    if (!ca.empty()) cluster["certificate-authority-data"] = base64_encode(ca);
    if (!rest.proxy_url.empty()) cluster["proxy-url"] = rest.proxy_url;
    if (!exec.cluster_config.is_null()) cluster["config"] = exec.cluster_config;
    spec["cluster"] = cluster;
  }
  return nlohmann::json{
      {"apiVersion", exec.api_version}, {"kind", "ExecCredential"}, {"spec", spec}};
}

Result<ExecCredential> parse_exec_credential(const std::string& stdout_text,
                                             const std::string& api_version) {
  nlohmann::json doc = nlohmann::json::parse(stdout_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    std::string shown = one_line(stdout_text, 120);
    return Error("its output is not JSON" +
                 (shown.empty() ? std::string(" (it printed nothing)") : ": \"" + shown + "\""));
  }
  std::string kind = kube_json::str(doc, "kind");
  std::string version = kube_json::str(doc, "apiVersion");
  if (kind != "ExecCredential") {
    return Error("its output is not an ExecCredential (kind \"" + kind + "\")");
  }
  if (version != api_version) {
    return Error("it is configured to use API version " + api_version +
                 ", but the plugin returned version " + (version.empty() ? "(none)" : version));
  }
  auto status = doc.find("status");
  if (status == doc.end() || !status->is_object()) {
    return Error("the plugin didn't return a status field");
  }
  auto str = [&](const char* key) -> Result<std::string> {
    auto it = status->find(key);
    if (it == status->end() || it->is_null()) return std::string();
    if (!it->is_string()) return Error(std::string("status.") + key + ": not a string");
    return it->get<std::string>();
  };
  ExecCredential cred;
  for (auto [key, out] :
       {std::pair{"token", &cred.token}, std::pair{"clientCertificateData", &cred.client_cert_pem},
        std::pair{"clientKeyData", &cred.client_key_pem}}) {
    auto value = str(key);
    if (!value.ok()) return value.error();
    *out = value.value();
  }
  if (cred.token.empty() && cred.client_cert_pem.empty() && cred.client_key_pem.empty()) {
    return Error("the plugin didn't return a token or cert/key pair");
  }
  if (cred.client_cert_pem.empty() != cred.client_key_pem.empty()) {
    return Error("the plugin returned only certificate or key, not both");
  }
  auto expiry = str("expirationTimestamp");
  if (!expiry.ok()) return expiry.error();
  if (!expiry.value().empty()) {
    auto us = parse_time_us(expiry.value());
    if (!us.ok()) return us.error().with_context("status.expirationTimestamp");
    cred.expires_unix_us = us.value();
  }
  return cred;
}

Result<ExecCredential> run_exec_plugin(const ExecConfig& exec, const RestConfig& rest,
                                       const ExecOptions& options) {
  std::string who = "exec plugin \"" + exec.command + "\"";
  if (!rest.source.empty()) who += " (" + rest.source + ")";
  auto fail = [&](const std::string& what) { return Error(who + ": " + what); };
  if (!known_api_version(exec.api_version)) {
    return fail("invalid apiVersion \"" + exec.api_version +
                "\" (client.authentication.k8s.io/v1 or v1beta1)");
  }
  if (exec.interactive_mode == ExecInteractiveMode::kAlways) {
    return fail(
        "interactiveMode Always needs a terminal, and stampede runs plugins with stdin from "
        "/dev/null; use a plugin mode that does not prompt");
  }
  auto request = exec_credential_request(exec, rest);
  if (!request.ok()) return fail(request.error().message());

  std::vector<std::string> env = options.base_env ? *options.base_env : process_environment();
  std::string path_env = env_value(env, "PATH");  // looked up with our PATH, as Go's exec does
  for (const auto& [name, value] : exec.env) set_env(env, name, value);
  set_env(env, kExecInfoEnv, request.value().dump());

  std::optional<std::string> path = find_executable(exec.command, path_env);
  if (!path) {
    std::string what = exec.command.find('/') != std::string::npos
                           ? "executable " + exec.command + " not found"
                           : "executable " + exec.command + " not found on PATH";
    if (!exec.install_hint.empty()) what += "; " + one_line(exec.install_hint);
    return fail(what);
  }
  SubprocessSpec spec;
  spec.path = *path;
  spec.argv.push_back(exec.command);
  spec.argv.insert(spec.argv.end(), exec.args.begin(), exec.args.end());
  spec.env = std::move(env);
  spec.timeout = options.timeout;
  auto ran = run_subprocess(spec);
  if (!ran.ok()) return fail(ran.error().message());
  const SubprocessResult& r = ran.value();
  std::string stderr_text = one_line(r.err);
  if (r.timed_out) {
    return fail("did not finish within " + std::to_string(options.timeout.count()) +
                " ms and was killed" + (stderr_text.empty() ? "" : "; stderr: " + stderr_text));
  }
  if (r.exit_code != 0) {
    std::string how = r.term_signal != 0 ? "was killed by signal " + std::to_string(r.term_signal)
                                         : "failed with exit code " + std::to_string(r.exit_code);
    return fail(how + (stderr_text.empty() ? "" : ": " + stderr_text));
  }
  auto cred = parse_exec_credential(r.out, exec.api_version);
  if (!cred.ok()) return fail(cred.error().message());
  if (options.on_stderr && !trim(r.err).empty()) options.on_stderr(r.err);
  return cred;
}

ExecAuthenticator::ExecAuthenticator(ExecConfig exec, RestConfig rest, ExecOptions options)
    : exec_(std::move(exec)), rest_(std::move(rest)), options_(std::move(options)) {}

int64_t ExecAuthenticator::now_us() const {
  if (options_.now_unix_us) return options_.now_unix_us();
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<ExecAuthenticator::Material> ExecAuthenticator::get() {
  std::lock_guard lock(mu_);
  int64_t now = now_us();
  if (cached_) {
    const auto& expiry = cached_->credential.expires_unix_us;
    if (!expiry) return *cached_;
    // Refresh a little early so a request is not sent with a credential about to lapse.
    int64_t lifetime = *expiry - obtained_us_;
    int64_t margin = std::max<int64_t>(
        0, std::min<int64_t>(options_.refresh_before.count() * 1000000, lifetime / 2));
    if (now < *expiry - margin) return *cached_;
  }
  ++runs_;
  auto cred = run_exec_plugin(exec_, rest_, options_);
  if (!cred.ok()) return cred.error();
  cached_ = Material{std::move(cred).value(), next_generation_++};
  obtained_us_ = now;
  return *cached_;
}

void ExecAuthenticator::invalidate(uint64_t generation) {
  std::lock_guard lock(mu_);
  if (cached_ && cached_->generation == generation) cached_.reset();
}

int ExecAuthenticator::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

}  // namespace stampede::kube
