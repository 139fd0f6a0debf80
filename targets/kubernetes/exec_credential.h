// Exec credential plugins, run as client-go runs them (k8s.io/client-go/plugin/pkg/client/auth/
// exec): the command from PATH (or a path), its args, the process environment plus the
// configured env, KUBERNETES_EXEC_INFO holding an ExecCredential request, stdin from /dev/null,
// stdout parsed as an ExecCredential of the configured apiVersion (v1 or v1beta1), stderr
// captured for error messages. ExecAuthenticator caches the result until it expires.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "targets/kubernetes/rest_config.h"

namespace stampede::kube {

// What a plugin returned (ExecCredential.status).
struct ExecCredential {
  std::string token;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::optional<int64_t> expires_unix_us;  // status.expirationTimestamp; nullopt: no expiry
};

struct ExecOptions {
  // The environment the plugin inherits ("NAME=value"); nullopt: this process' environment.
  // PATH is taken from it to find the command.
  std::optional<std::vector<std::string>> base_env;
  std::chrono::milliseconds timeout{60000};  // then the plugin (and its group) is killed
  // A credential is refreshed this long before it expires (at most half its lifetime).
  std::chrono::seconds refresh_before{10};
  std::function<int64_t()> now_unix_us;  // null: the system clock (tests inject one)
  // Receives what a successful plugin printed on stderr (prompts, warnings), when anything.
  std::function<void(const std::string&)> on_stderr;
};

// The KUBERNETES_EXEC_INFO document: {"apiVersion":...,"kind":"ExecCredential","spec":
// {"interactive":false[,"cluster":{...}]}}, the cluster taken from `rest` when
// provideClusterInfo. Errors: the CA file cannot be read for the cluster info.
Result<nlohmann::json> exec_credential_request(const ExecConfig& exec, const RestConfig& rest);

// Parses a plugin's stdout. Errors: not JSON, not an ExecCredential, another apiVersion than
// `api_version`, no status, neither a token nor a certificate and key, a bad expiry.
Result<ExecCredential> parse_exec_credential(const std::string& stdout_text,
                                             const std::string& api_version);

// Runs the plugin once. Errors name the plugin and `rest.source`: not found (with its
// installHint), non-zero exit (with its stderr), timeout, bad output, interactiveMode Always.
Result<ExecCredential> run_exec_plugin(const ExecConfig& exec, const RestConfig& rest,
                                       const ExecOptions& options);

// The credential of one plugin, cached until it is about to expire or invalidate() is told it
// was rejected (a 401). Thread-safe; one plugin run at a time (others wait for its result).
class ExecAuthenticator {
 public:
  struct Material {
    ExecCredential credential;
    uint64_t generation = 0;  // changes with every run
  };

  ExecAuthenticator(ExecConfig exec, RestConfig rest, ExecOptions options);
  ExecAuthenticator(const ExecAuthenticator&) = delete;
  ExecAuthenticator& operator=(const ExecAuthenticator&) = delete;

  // The cached credential, or a fresh one from the plugin. Errors: run_exec_plugin's.
  Result<Material> get();
  // The credential of `generation` was rejected: the next get() runs the plugin again (unless it
  // already did since).
  void invalidate(uint64_t generation);
  // How many times the plugin ran (for tests and diagnostics).
  int runs() const;

 private:
  int64_t now_us() const;

  const ExecConfig exec_;
  const RestConfig rest_;
  const ExecOptions options_;
  mutable std::mutex mu_;
  std::optional<Material> cached_;  // guarded by mu_
  int64_t obtained_us_ = 0;         // guarded by mu_
  uint64_t next_generation_ = 1;    // guarded by mu_
  int runs_ = 0;                    // guarded by mu_
};

}  // namespace stampede::kube
