#include "targets/kubernetes/client_config.h"

#include <filesystem>

namespace stampede::kube {

Result<RestConfig> load_rest_config(const LoadOptions& options) {
  KubeconfigOptions kube;
  kube.explicit_path = options.kubeconfig;
  kube.context = options.context;
  kube.env = options.env;
  auto list = options.env("KUBECONFIG");
  bool use_kubeconfig = !options.kubeconfig.empty() || (list && !list->empty());
  if (!use_kubeconfig) {
    std::vector<std::string> files = kubeconfig_files(kube);
    std::error_code ec;
    use_kubeconfig = !files.empty() && std::filesystem::exists(files[0], ec);
  }
  if (use_kubeconfig) return load_kubeconfig(kube);
  if (in_cluster_available(options.env)) {
    if (!options.context.empty()) {
      return Error("--context " + options.context +
                   ": there is no kubeconfig to choose a context from (running in-cluster)");
    }
    InClusterOptions in_cluster;
    in_cluster.env = options.env;
    in_cluster.dir = options.service_account_dir;
    return in_cluster_config(in_cluster);
  }
  return Error(
      "no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, "
      "or run in a pod with a service account");
}

}  // namespace stampede::kube
