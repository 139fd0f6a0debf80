// A TLS identity made at start for the Kubernetes API's https endpoint: a throwaway CA (EC P-256,
// valid 10 years) and a server certificate it signs for 127.0.0.1 and localhost. kubectl (like
// every client-go client) sends a kubeconfig's credentials only over https, so the kubeconfig
// names this endpoint and carries the CA as certificate-authority-data. The keys never leave the
// process (the CA's is dropped once the server certificate is signed). Thread-safe functions.
#pragma once

#include <string>

#include "common/result.h"

namespace stampede::local::kube {

// PEM texts; a plain value.
struct TlsIdentity {
  std::string ca_pem;           // the CA certificate (what clients trust)
  std::string certificate_pem;  // the server certificate, then the CA: the chain served
  std::string key_pem;          // the server's private key
};

// Makes a fresh identity. Errors: OpenSSL's reason.
Result<TlsIdentity> make_tls_identity();

}  // namespace stampede::local::kube
