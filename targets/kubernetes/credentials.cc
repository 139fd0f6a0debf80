#include "targets/kubernetes/credentials.h"

#include "common/read_file.h"
#include "common/text.h"

namespace stampede::kube {
namespace {

// Exec material generations are offset so they never equal a token-file or static one.
constexpr uint64_t kExecGenerationBase = uint64_t{1} << 40;

}  // namespace

Credentials::Credentials(RestConfig config, CredentialsOptions options)
    : config_(std::move(config)), options_(std::move(options)) {
  if (!config_.token_file.empty()) {
    method_ = Method::kTokenFile;
  } else if (!config_.bearer_token.empty()) {
    method_ = Method::kToken;
  } else if (!config_.username.empty() || !config_.password.empty()) {
    method_ = Method::kBasic;
  } else if (config_.has_client_cert()) {
    method_ = Method::kCertOnly;
  } else if (config_.exec) {
    method_ = Method::kExec;
    exec_ = std::make_unique<ExecAuthenticator>(*config_.exec, config_, options_.exec);
  }
}

AuthMaterial Credentials::base_material() const {
  // A configured client certificate is sent whatever else authenticates (kubectl does too).
  AuthMaterial m;
  m.client_cert_pem = config_.client_cert_data;
  m.client_key_pem = config_.client_key_data;
  if (m.client_cert_pem.empty()) m.client_cert_file = config_.client_cert_file;
  if (m.client_key_pem.empty()) m.client_key_file = config_.client_key_file;
  return m;
}

Result<AuthMaterial> Credentials::token_file_locked() {
  auto now = std::chrono::steady_clock::now();
  if (file_stale_ || now - file_read_at_ >= options_.token_file_period) {
    auto read = read_text_file(config_.token_file);
    if (!read.ok()) {
      // Keep serving the last token through a failed read (the kubelet swaps the file by a
      // symlink rename, so a read can race it); without one, the error is the caller's.
      if (file_token_.empty()) return read.error().with_context("token file");
    } else {
      std::string token = trim(read.value());
      if (token.empty() && file_token_.empty()) {
        return Error("token file " + config_.token_file + ": empty");
      }
      if (!token.empty() && token != file_token_) {
        file_token_ = token;
        ++file_generation_;
      }
      file_read_at_ = now;
      file_stale_ = false;
    }
  }
  AuthMaterial m = base_material();
  m.bearer_token = file_token_;
  m.generation = file_generation_;
  return m;
}

Result<AuthMaterial> Credentials::current() {
  switch (method_) {
    case Method::kTokenFile: {
      std::lock_guard lock(mu_);
      return token_file_locked();
    }
    case Method::kToken: {
      AuthMaterial m = base_material();
      m.bearer_token = config_.bearer_token;
      m.generation = 1;
      return m;
    }
    case Method::kBasic: {
      AuthMaterial m = base_material();
      m.username = config_.username;
      m.password = config_.password;
      m.generation = 1;
      return m;
    }
    case Method::kCertOnly:
    case Method::kNone: {
      AuthMaterial m = base_material();
      m.generation = 1;
      return m;
    }
    case Method::kExec: {
      auto got = exec_->get();
      if (!got.ok()) return got.error();
      AuthMaterial m;
      m.bearer_token = got.value().credential.token;
      m.client_cert_pem = got.value().credential.client_cert_pem;
      m.client_key_pem = got.value().credential.client_key_pem;
      m.generation = kExecGenerationBase + got.value().generation;
      return m;
    }
  }
  return Error("credentials: unknown method");
}

bool Credentials::invalidate(uint64_t generation) {
  switch (method_) {
    case Method::kTokenFile: {
      std::lock_guard lock(mu_);
      if (generation == file_generation_) file_stale_ = true;
      return true;
    }
    case Method::kExec:
      if (generation >= kExecGenerationBase) exec_->invalidate(generation - kExecGenerationBase);
      return true;
    default:
      return false;
  }
}

int Credentials::exec_runs() const {
  return exec_ ? exec_->runs() : 0;
}

}  // namespace stampede::kube
