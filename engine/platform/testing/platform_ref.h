// PlatformRef: a Platform that forwards every call to another one it does not own — for tests
// that hand a Platform to an owner (the chaos controller) but keep the FakePlatform to inspect
// it after the owner is gone. Thread-safety is the target's.
#pragma once

#include "engine/platform/platform.h"

namespace stampede {

class PlatformRef final : public Platform {
 public:
  explicit PlatformRef(Platform& target) : t_(target) {}

  std::string describe() const override { return t_.describe(); }
  std::string identity() const override { return t_.identity(); }
  std::string cannot(Capability c) const override { return t_.cannot(c); }
  std::string event_times() const override { return t_.event_times(); }
  Status ping() override { return t_.ping(); }
  Result<std::vector<DeploymentState>> deployments() override { return t_.deployments(); }
  Result<std::vector<PodState>> pods(const std::string& s) override { return t_.pods(s); }
  Result<std::vector<HpaState>> hpas() override { return t_.hpas(); }
  Result<EventBatch> events_since(int64_t c) override { return t_.events_since(c); }
  Result<std::string> pod_metrics(const std::string& p) override { return t_.pod_metrics(p); }
  Status kill_pod(const std::string& p) override { return t_.kill_pod(p); }
  Status terminate_pod(const std::string& p, double g) override { return t_.terminate_pod(p, g); }
  Status pause_pod(const std::string& p) override { return t_.pause_pod(p); }
  Status scale(const std::string& d, int r) override { return t_.scale(d, r); }
  Status rollout_restart(const std::string& d) override { return t_.rollout_restart(d); }
  Status set_pod_faults(const std::string& p, const FaultKnobs& k) override {
    return t_.set_pod_faults(p, k);
  }
  Status check_pod_faults(const std::string& p) override { return t_.check_pod_faults(p); }
  Status set_service_fault(const std::string& s, const NetworkFault& f) override {
    return t_.set_service_fault(s, f);
  }
  Status resume_pod(const std::string& p) override { return t_.resume_pod(p); }
  Status clear_pod_faults(const std::string& p) override { return t_.clear_pod_faults(p); }
  Status clear_service_fault(const std::string& s) override { return t_.clear_service_fault(s); }

 private:
  Platform& t_;
};

}  // namespace stampede
