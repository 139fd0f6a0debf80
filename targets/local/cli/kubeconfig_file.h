// <state dir>/kubeconfig: how kubectl (and any Kubernetes client) reaches the Kubernetes API of
// a running `stampede up` — cluster and context `stampede-local` (namespace default), server
// https://127.0.0.1:<TLS port> with the run's CA as certificate-authority-data (client-go sends
// credentials only over https), a user with the control API's bearer token. Written (mode
// 0600) once the API listens, removed when `stampede up` stops or `stampede down` cleans up
// after it. Thread-safe functions.
#pragma once

#include <string>

#include "common/result.h"

namespace stampede::local {

inline constexpr const char* kKubeContext = "stampede-local";

std::string kubeconfig_path(const std::string& state_dir);
// The kubeconfig's text; `ca_pem` is the server's CA ("" for none: an http server).
std::string kubeconfig_text(const std::string& server, const std::string& token,
                            const std::string& ca_pem);
// Writes it atomically with mode 0600. Errors name the path.
Status write_kubeconfig(const std::string& state_dir, const std::string& server,
                        const std::string& token, const std::string& ca_pem);

}  // namespace stampede::local
