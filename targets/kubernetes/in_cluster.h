// The pod's own service account as a RestConfig, as client-go's rest.InClusterConfig builds it:
// https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT (IPv6 hosts bracketed), the
// projected token file (Credentials re-reads it as the kubelet rotates it), ca.crt, and the
// namespace ($POD_NAMESPACE, else the namespace file). Environment and directory are injectable
// for tests. Pure functions apart from reading the directory.
#pragma once

#include <string>

#include "common/result.h"
#include "targets/kubernetes/env_lookup.h"
#include "targets/kubernetes/rest_config.h"

namespace stampede::kube {

inline constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

struct InClusterOptions {
  EnvLookup env = process_env();
  std::string dir = kServiceAccountDir;  // holds token, ca.crt, namespace
};

// True when both KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are set (non-empty).
bool in_cluster_available(const EnvLookup& env);

// The service account's config. source names the account when the token says it
// ("in-cluster service account system:serviceaccount:shop:runner"). Errors: not in a pod
// (the variables are unset), the token file cannot be read.
Result<RestConfig> in_cluster_config(const InClusterOptions& options = {});

// The `sub` claim of a JWT ("system:serviceaccount:shop:runner"); "" when `token` is not a
// JWT or has none. The signature is not checked (it is only used in messages).
std::string jwt_subject(const std::string& token);

}  // namespace stampede::kube
