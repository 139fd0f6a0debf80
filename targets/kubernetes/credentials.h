// Credentials: the live authentication material for one RestConfig — the static token, the
// token file (re-read as the kubelet rotates it), basic auth, the client certificate, or an exec
// plugin's token or certificate — handed out to the REST client and the watch thread, and told
// when the API server rejected it (a 401) so the next call reads the file or runs the plugin
// again. Thread-safe; share one per RestConfig through a shared_ptr.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"
#include "targets/kubernetes/exec_credential.h"
#include "targets/kubernetes/rest_config.h"

namespace stampede::kube {

// What one request authenticates with. Empty fields are not used.
struct AuthMaterial {
  std::string bearer_token;
  std::string username;  // basic auth
  std::string password;
  std::string client_cert_pem;  // in memory (kubeconfig data, exec plugin) ...
  std::string client_key_pem;
  std::string client_cert_file;  // ... or files curl reads at each TLS handshake
  std::string client_key_file;
  // Identifies this material: it changes whenever the token or certificate changes. Pass it
  // back to invalidate(); compare it to notice a new client certificate (new connection).
  uint64_t generation = 0;
  bool has_client_cert() const { return !client_cert_pem.empty() || !client_cert_file.empty(); }
};

struct CredentialsOptions {
  // The token file is read again when this much time passed since the last read (and at once
  // after a 401). The kubelet rotates projected tokens well before they expire.
  std::chrono::milliseconds token_file_period{5000};
  ExecOptions exec;
};

class Credentials {
 public:
  // Reads nothing yet: files are read and plugins run on the first current().
  explicit Credentials(RestConfig config, CredentialsOptions options = {});
  Credentials(const Credentials&) = delete;
  Credentials& operator=(const Credentials&) = delete;

  // The material to send now. Errors: the token file or a certificate file cannot be read (with
  // no earlier token to fall back on), the exec plugin fails; each names the file or plugin.
  Result<AuthMaterial> current();
  // The server answered 401 to material `generation`: re-read the token file / re-run the
  // plugin on the next current(). True when that can change anything (a static token cannot).
  bool invalidate(uint64_t generation);

  const RestConfig& config() const { return config_; }
  // "kubeconfig /x, context kind" — RestConfig::source, for messages.
  const std::string& source() const { return config_.source; }
  // How many times the exec plugin ran (0 without one).
  int exec_runs() const;

 private:
  enum class Method { kNone, kTokenFile, kToken, kBasic, kCertOnly, kExec };
  Result<AuthMaterial> token_file_locked();
  AuthMaterial base_material() const;

  const RestConfig config_;
  const CredentialsOptions options_;
  Method method_ = Method::kNone;
  std::unique_ptr<ExecAuthenticator> exec_;  // set when method_ is kExec

  mutable std::mutex mu_;
  std::string file_token_;                                // guarded by mu_
  std::chrono::steady_clock::time_point file_read_at_{};  // guarded by mu_
  bool file_stale_ = true;                                // guarded by mu_
  uint64_t file_generation_ = 1;                          // guarded by mu_
};

}  // namespace stampede::kube
