// Choosing the RestConfig the way kubectl and client-go's deferred loader do: --kubeconfig, else
// $KUBECONFIG, else ~/.kube/config when it exists, else the pod's service account when
// KUBERNETES_SERVICE_HOST/PORT are set. Reads files only; no network.
#pragma once

#include <string>

#include "common/result.h"
#include "targets/kubernetes/env_lookup.h"
#include "targets/kubernetes/in_cluster.h"
#include "targets/kubernetes/kubeconfig.h"
#include "targets/kubernetes/rest_config.h"

namespace stampede::kube {

struct LoadOptions {
  std::string kubeconfig;  // --kubeconfig
  std::string context;     // --context (kubeconfig only)
  std::string service_account_dir = kServiceAccountDir;
  EnvLookup env = process_env();
};

// The config to use. Errors: those of load_kubeconfig() / in_cluster_config(), or none found:
// "no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run
// in a pod with a service account".
Result<RestConfig> load_rest_config(const LoadOptions& options);

}  // namespace stampede::kube
