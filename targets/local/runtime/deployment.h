// One Deployment: a ReplicaSet-like reconcile that keeps `replicas` pods of the current
// template, rollout restarts (a new template hash; new pods created and old ones terminated
// within maxSurge / maxUnavailable as the new ones become available: Ready for
// minReadySeconds), and scaling.
// Not thread-safe: owned by the Runtime on its control thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/result.h"
#include "targets/local/runtime/pod.h"

namespace stampede::local {

// What pods need from outside their deployment, owned by the runtime.
struct ServiceAddress {
  std::string env;    // the service's addressEnv
  std::string value;  // 127.0.0.1:<its proxy port>
};
struct Wiring {
  std::string path;  // PATH given to pods
  const EnvList* common_env = nullptr;
  std::map<std::string, ServiceAddress> addresses;  // by service name
  std::string admin_token;
  std::string data_dir;
};

class Deployment {
 public:
  Deployment(const PodContext& context, const Wiring& wiring, DeploymentSpec spec, int replicas);

  const DeploymentSpec& spec() const { return *spec_; }
  const std::string& name() const { return spec_->name; }
  int replicas() const { return replicas_; }
  const std::string& template_hash() const { return hash_; }
  // The pod template's annotations: kubectl.kubernetes.io/restartedAt after a restart.
  const std::map<std::string, std::string>& template_annotations() const { return annotations_; }
  int revision() const { return revision_; }
  bool rollout_in_progress() const { return rollout_in_progress_; }
  // Every pod, terminating ones included, oldest first.
  const std::vector<std::shared_ptr<Pod>>& pods() const { return pods_; }
  std::shared_ptr<Pod> pod(const std::string& name) const;

  // Advances the pods and reconciles towards the spec.
  void tick(int64_t now_ns);

  // Sets the desired replicas (an API scale or the HPA). Returns the seq of the `scaled` /
  // `hpa-scaled` event. Errors: replicas < 0.
  Result<uint64_t> scale(int replicas, bool by_hpa, const std::string& why);
  // `kubectl rollout restart`: a new template; returns the seq of `rollout-started`. With
  // `annotations` (a template change through the Kubernetes API) those become the template's;
  // without, kubectl.kubernetes.io/restartedAt is set to now, as kubectl does.
  uint64_t rollout_restart(
      std::optional<std::map<std::string, std::string>> annotations = std::nullopt);
  // Deletes every pod and stops creating new ones (shutdown).
  void terminate_all();

  // Counts over pods that are not terminating.
  int current() const;
  int ready() const;
  int available() const;  // Ready for minReadySeconds
  int updated() const;    // of the current template

 private:
  void reconcile();
  // Ends the rollout when every pod not terminating is of the current template (`fresh_total`
  // of them) and available.
  void finish_rollout_if_done(int fresh_total);
  void create_pod();
  // Deletes up to `count` of `candidates` (not Ready first, then the newest). Returns how many.
  int remove(std::vector<std::shared_ptr<Pod>> candidates, int count, const std::string& why);

  const PodContext& context_;
  const Wiring& wiring_;
  std::shared_ptr<const DeploymentSpec> spec_;
  int replicas_;
  std::string hash_;
  std::map<std::string, std::string> annotations_;  // of the pod template
  int revision_ = 1;
  bool rollout_in_progress_ = false;
  bool stopped_ = false;
  std::vector<std::shared_ptr<Pod>> pods_;
  std::mt19937_64 rng_;
};

}  // namespace stampede::local
