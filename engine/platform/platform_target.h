// PlatformTarget: which platform a run's chaos acts on, as the command line says
// (docs/kubernetes.md): a cluster through a kubeconfig (--kubeconfig FILE and/or --context NAME;
// without --kubeconfig the file is $KUBECONFIG or ~/.kube/config, as kubectl finds it), the
// pod's own service account (--in-cluster, for the in-cluster Job), or else the local runtime of
// --state-dir through the kubeconfig `stampede up` wrote there. Every one is reached through
// the same Kubernetes adapter (kubernetes_platform.h).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "engine/platform/platform.h"

namespace stampede {

struct PlatformTarget {
  std::string state_dir = ".stampede";  // the local runtime's, and where the chaos journal lives
  std::string kubeconfig;               // --kubeconfig FILE
  std::string context;                  // --context NAME
  bool in_cluster = false;              // --in-cluster
  std::string namespace_;   // --namespace; "": the context's or the service account's, else default
  std::string name_prefix;  // --name-prefix: deployment names are this + the script's names
  // --admin-token-secret: the Secret with the shop's admin token (key admin-token); "": the
  // chart's own, <name_prefix>admin-token.
  std::string admin_token_secret;

  // The admin token Secret's name, as the flags say.
  std::string admin_secret_name() const {
    return admin_token_secret.empty() ? name_prefix + "admin-token" : admin_token_secret;
  }

  // True when a cluster was asked for (not the local runtime).
  bool cluster() const { return in_cluster || !kubeconfig.empty() || !context.empty(); }
};

// Connects to the target and checks it answers (and takes the credentials). Errors say which
// platform, what failed, and what to do ("is `stampede up` running?").
Result<std::unique_ptr<Platform>> connect_platform(const PlatformTarget& target);

}  // namespace stampede
