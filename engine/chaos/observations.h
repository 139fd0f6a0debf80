// ChaosObservations: what the chaos controller saw beyond the shared result model
// (ResilienceResult) — the raw material the validations need: what each action hit and when,
// the deployments' specs (probes, HPAs) at the start, HPA samples, circuit-breaker samples
// scraped from the callers' /metrics, and connection errors per second. Times are seconds
// since the run started. Filled by the controller's thread; read after it stopped.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/chaos/chaos_plan.h"
#include "engine/platform/platform_types.h"

namespace stampede {

// One action's fate.
struct AppliedAction {
  std::string id;
  ActionKind kind = ActionKind::kPodKill;
  std::string target;
  std::vector<std::string> pods;         // the pods it hit
  std::vector<std::string> deployments;  // the deployments of those pods, or the one it acted on
  double requested_at = -1;
  double applied_at = -1;   // -1: never applied (failed)
  double reverted_at = -1;  // -1: not reverted (instant, or still applied at the end)
  std::string error;        // why it failed, when it did
};

struct HpaSample {
  double t = 0;
  std::string deployment;
  int min_replicas = 1;
  int max_replicas = 1;
  double target_utilization = 0;
  double utilization = -1;  // percent of requests; -1 unknown
  int current = 0;
  int desired = 0;
  double scale_down_window_seconds = -1;  // -1: the platform does not say
};

// One scrape of a caller's client for one dependency, summed over the caller's pods.
struct BreakerSample {
  double t = 0;
  std::string caller;
  std::string dependency;
  int pods = 0;       // pods scraped successfully
  int open_pods = 0;  // pods whose breaker said open (1)
  int half_open_pods = 0;
  // Counters are cumulative since the run started: a caller pod older than the run counts from
  // its first scrape, one created during the run from zero.
  double calls_reached = 0;  // cumulative calls that went to the dependency (any outcome)
  double calls_refused = 0;  // cumulative calls the breaker refused (outcome circuit_open)
  double calls_failed = 0;   // cumulative calls that reached it and failed
  // Cumulative latency histogram of attempts: (upper bound in seconds, count), sorted by bound.
  std::vector<std::pair<double, double>> latency;
};

// Connection-level request errors in one second of the run, from the workers' snapshots.
struct ConnectionErrors {
  int64_t second = 0;  // the run's second (covers [second - 1, second))
  int64_t resets = 0;  // connection reset or empty reply on an in-flight request
  int64_t refused = 0;
};

struct ChaosObservations {
  std::vector<AppliedAction> actions;
  std::vector<DeploymentState> deployments;  // as they were when the run started
  std::vector<HpaSample> hpa;
  std::vector<BreakerSample> breakers;
  std::vector<ConnectionErrors> connection_errors;
  std::vector<std::string> warnings;  // e.g. a sampling call that failed (first of each kind)
  double run_end = 0;                 // seconds

  const AppliedAction* action(const std::string& id) const {
    for (const AppliedAction& a : actions) {
      if (a.id == id) return &a;
    }
    return nullptr;
  }
  const DeploymentState* deployment(const std::string& name) const {
    for (const DeploymentState& d : deployments) {
      if (d.name == name) return &d;
    }
    return nullptr;
  }
};

}  // namespace stampede
