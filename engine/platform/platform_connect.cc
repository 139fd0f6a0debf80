#include "engine/platform/local_platform.h"
#include "engine/platform/platform_target.h"

namespace stampede {

Result<std::unique_ptr<Platform>> connect_platform(const PlatformTarget& target) {
  if (target.cluster()) {
    return Error(
        "--kubeconfig, --context and --in-cluster: the Kubernetes adapter is not built yet");
  }
  auto local = LocalPlatform::connect(target.state_dir);
  if (!local.ok()) return local.error();
  return std::unique_ptr<Platform>(std::move(local).value());
}

}  // namespace stampede
