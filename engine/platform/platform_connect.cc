#include <sys/stat.h>

#include <filesystem>

#include "engine/platform/kubernetes_platform.h"
#include "engine/platform/platform_target.h"
#include "targets/kubernetes/in_cluster.h"
#include "targets/kubernetes/kubeconfig.h"

namespace stampede {

Result<std::unique_ptr<Platform>> connect_platform(const PlatformTarget& target) {
  KubernetesPlatformOptions options;
  options.namespace_ = target.namespace_;
  options.name_prefix = target.name_prefix;
  options.admin_token_secret = target.admin_secret_name();
  bool local = !target.cluster();
  Result<kube::RestConfig> config = Error("no Kubernetes configuration");
  if (target.in_cluster) {
    if (!target.kubeconfig.empty() || !target.context.empty()) {
      return Error("--in-cluster uses the pod's service account: leave out --kubeconfig/--context");
    }
    config = kube::in_cluster_config();
  } else {
    kube::KubeconfigOptions k;
    k.explicit_path = target.kubeconfig;
    k.context = target.context;
    if (local) {
      // The local runtime: the kubeconfig `stampede up` wrote into its state dir.
      k.explicit_path = target.state_dir + "/kubeconfig";
      struct stat st {};
      if (::stat(k.explicit_path.c_str(), &st) != 0) {
        return Error("no local runtime in " + target.state_dir + " (" + k.explicit_path +
                     " not found): start one with `stampede up --state-dir " + target.state_dir +
                     "`, or act on a cluster with --kubeconfig or --context");
      }
      // A local API answers at once or not at all: fail fast when it is gone.
      options.rest.timeout = std::chrono::milliseconds(5000);
      options.rest.total_timeout = std::chrono::milliseconds(10000);
      options.rest.max_attempts = 3;
    }
    auto kubeconfig = kube::Kubeconfig::load(k);
    if (!kubeconfig.ok()) return kubeconfig.error();
    config = kubeconfig.value().rest_config(k.context);
  }
  if (!config.ok()) return config.error();
  if (local) {
    options.description = "local runtime " + config.value().server + " (" + target.state_dir + ")";
    // Absolute, so that a revert run from another folder still recognises its journal.
    std::error_code ec;
    auto absolute = std::filesystem::absolute(target.state_dir, ec).lexically_normal().string();
    if (!absolute.empty() && absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
    options.identity = "local runtime (" + (ec ? target.state_dir : absolute) + ")";
  }
  auto platform = KubernetesPlatform::connect(std::move(config).value(), std::move(options));
  if (!platform.ok()) {
    if (local) {
      return Error("the local runtime (" + target.state_dir + "/kubeconfig) is not reachable: " +
                   platform.error().message() + " — is `stampede up` still running?");
    }
    return platform.error();
  }
  return std::unique_ptr<Platform>(std::move(platform).value());
}

}  // namespace stampede
