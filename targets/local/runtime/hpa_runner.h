// The runtime's side of autoscaling: the CPU usage of every pod (sampled from /proc once a
// second, averaged over localRuntime.cpuWindowSeconds) and one HPA per autoscaled deployment,
// synced every hpaSyncPeriodSeconds with the HpaController (targets/local/hpa).
// Not thread-safe: used on the runtime's control thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "targets/local/hpa/cpu_usage_meter.h"
#include "targets/local/hpa/hpa_controller.h"
#include "targets/local/runtime/deployment.h"

namespace stampede::local {

// One CpuUsageMeter per pod, keyed by pod name.
class CpuSampler {
 public:
  explicit CpuSampler(double window_seconds = 15) : window_(window_seconds) {}
  void set_window(double seconds) { window_ = seconds; }
  // Samples every running pod of `deployments` at `now` (seconds); forgets pods that are gone.
  void sample(double now, const std::vector<std::unique_ptr<Deployment>>& deployments);
  // The pod's average usage over the window, or nullopt before two samples.
  std::optional<CpuWindow> usage(const std::string& pod) const;

 private:
  double window_;
  std::map<std::string, CpuUsageMeter> meters_;
};

// The HPA of one deployment: its spec (from the values, with Kubernetes' default behavior
// where the values leave it out), the controller, and the last decision for the API.
class HpaRunner {
 public:
  // Errors name the values key of a bad behavior.
  static Result<std::unique_ptr<HpaRunner>> create(const DeploymentSpec& spec);

  const HpaSpec& spec() const { return controller_.spec(); }
  // One sync at `now` (seconds): computes the decision and scales `deployment` when it
  // changes the replicas.
  void sync(double now, Deployment& deployment, const CpuSampler& cpu);
  const std::optional<HpaDecision>& last() const { return last_; }
  std::optional<int64_t> last_scale_ns() const { return last_scale_ns_; }
  // How many syncs have run (the Kubernetes API re-renders the HPA when it moves).
  uint64_t syncs() const { return syncs_; }

 private:
  explicit HpaRunner(HpaSpec spec) : controller_(std::move(spec)) {}
  HpaController controller_;
  std::optional<HpaDecision> last_;
  std::optional<int64_t> last_scale_ns_;
  uint64_t syncs_ = 0;
};

}  // namespace stampede::local
