// KubernetesPlatform: the Platform over the Kubernetes API (targets/kubernetes/) — a real
// cluster's, or the one `stampede up` serves. It reads by listing (deployments with their
// Services and HPAs; pods with their PodMetrics), acts with the API's own verbs (DELETE a pod,
// PATCH a deployment's scale subresource or its pod template's restartedAt annotation), reaches
// the shop's fault knobs and /metrics through the pods/proxy subresource, and watches pods,
// deployments, HPAs and Events on a thread of its own, so that every event carries the time it
// was observed (KubeChangeLog). The local runtime's extensions (pause, Service proxy faults; the
// local.stampede.dev/v1 group) are used when discovery lists them; elsewhere those actions are
// refused at preflight (cannot()).
//
// Used by one thread at a time like every Platform (platform.h); the watch thread it owns only
// touches the change log, under its mutex.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "engine/platform/kube_changes.h"
#include "engine/platform/kube_objects.h"
#include "engine/platform/platform.h"
#include "targets/kubernetes/rest_client.h"
#include "targets/kubernetes/rest_config.h"
#include "targets/kubernetes/watch.h"

namespace stampede {

struct KubernetesPlatformOptions {
  std::string namespace_;   // "": the config's namespace, else "default"
  std::string name_prefix;  // deployments are <prefix><the script's name>
  // How describe() names it; "": "Kubernetes <server> (<credentials>, namespace <ns>)".
  std::string description;
  // What identity() answers; "": "Kubernetes <server> namespace <ns>".
  std::string identity;
  // The shop's admin token (fault knobs); "": $STAMPEDE_ADMIN_TOKEN, else the Secret
  // `admin_token_secret` (key admin-token) read through the API.
  std::string admin_token;
  std::string admin_token_secret;  // "": <name_prefix>admin-token
  kube::RestClientOptions rest;
  kube::WatchOptions watch;
  // How long the first events_since() waits for the watches' first lists.
  std::chrono::milliseconds sync_timeout{15000};
};

class KubernetesPlatform final : public Platform {
 public:
  // Checks the server answers and takes the credentials (GET /version), and learns from
  // discovery whether it has the local extensions and metrics.k8s.io. Errors name the server
  // and the credentials' source.
  static Result<std::unique_ptr<KubernetesPlatform>> connect(kube::RestConfig config,
                                                             KubernetesPlatformOptions options);
  ~KubernetesPlatform() override;

  std::string describe() const override { return description_; }
  std::string identity() const override { return identity_; }
  std::string cannot(Capability what) const override;
  std::string event_times() const override { return "observed"; }
  Status ping() override;

  Result<std::vector<DeploymentState>> deployments() override;
  Result<std::vector<PodState>> pods(const std::string& selector) override;
  Result<std::vector<HpaState>> hpas() override;
  // The first call starts the watches and waits for their first lists (the baseline).
  Result<EventBatch> events_since(int64_t cursor) override;
  Result<std::string> pod_metrics(const std::string& pod) override;

  Status kill_pod(const std::string& pod) override;
  Status terminate_pod(const std::string& pod, double grace_seconds) override;
  Status pause_pod(const std::string& pod) override;
  Status scale(const std::string& deployment, int replicas) override;
  Status rollout_restart(const std::string& deployment) override;
  Status set_pod_faults(const std::string& pod, const FaultKnobs& knobs) override;
  Status check_pod_faults(const std::string& pod) override;
  Status set_service_fault(const std::string& service, const NetworkFault& fault) override;
  Status resume_pod(const std::string& pod) override;
  Status clear_pod_faults(const std::string& pod) override;
  Status clear_service_fault(const std::string& service) override;

  const std::string& namespace_name() const { return namespace_; }
  bool has_local_extensions() const { return extensions_; }

 private:
  KubernetesPlatform(std::shared_ptr<kube::Credentials> credentials,
                     std::unique_ptr<kube::RestClient> client, KubernetesPlatformOptions options,
                     std::string namespace_name);
  Status discover();
  Result<std::vector<nlohmann::json>> list(const std::string& path, const kube::Query& query = {});
  // The port number of the pod's container port `name` (or the first of `names` it has).
  // Errors keep the API's code (404: the pod is gone).
  kube::ApiResult<int> pod_port(const std::string& pod, std::initializer_list<const char*> names);
  // The admin token, read once. Errors say where it was looked for.
  Result<std::string> admin_token();
  // A request to the pod's admin endpoint through pods/proxy.
  kube::ApiResult<kube::RestResponse> admin_call(const std::string& pod, const std::string& method,
                                                 const std::string& body);
  Status start_watching();

  std::shared_ptr<kube::Credentials> credentials_;
  std::unique_ptr<kube::RestClient> client_;
  KubernetesPlatformOptions options_;
  std::string namespace_;
  std::string description_;
  std::string identity_;
  KubeNames names_;
  KubeClock clock_;
  bool extensions_ = false;   // local.stampede.dev/v1 is served
  bool metrics_ = false;      // metrics.k8s.io/v1beta1 is served (and readable)
  int metrics_failures_ = 0;  // failed PodMetrics lists in a row
  std::optional<std::string> admin_token_;
  mutable std::optional<std::string> faults_refusal_;  // why fault knobs cannot work, once found

  std::mutex mu_;  // guards changes_ (the watch thread writes it)
  KubeChangeLog changes_;
  std::unique_ptr<kube::Watcher> watcher_;
};

}  // namespace stampede
