// PlatformSampler: turns the platform's state into samples on the run's clock — once a second
// per deployment (replicas, ready, desired, restarts, CPU), the HPAs, the events since the last
// pull, and the circuit breakers of the callers named by circuit-breaker validations (scraped
// from their pods' /metrics). Runs on the chaos controller's thread. A failed call is noted
// once as a warning and the sample goes on without it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/chaos/observations.h"
#include "engine/platform/platform.h"
#include "engine/run/resilience_result.h"

namespace stampede {

// Folds one /metrics page of a caller into `sample` (adds to its sums). Pure.
void add_breaker_metrics(const std::string& metrics_text, BreakerSample& sample);

// Adds to `total`'s cumulative counters and latency buckets what one pod's counters grew by since
// `last` (that pod's previous scrape; nullptr on its first). A pod whose counters went down was
// restarted: its counters count from zero again. So `total` never decreases, whichever pods
// answer a scrape, come and go, or restart.
void add_pod_growth(const BreakerSample* last, const BreakerSample& now, BreakerSample& total);

class PlatformSampler {
 public:
  // `breakers`: (caller deployment, dependency) pairs to scrape.
  PlatformSampler(Platform& platform, Nanos run_start,
                  std::vector<std::pair<std::string, std::string>> breakers);

  // Remembers where the event log stands, so only events from now on are pulled.
  void prime(ChaosObservations& obs);
  // Takes one sample at `now` (monotonic ns).
  void sample(Nanos now, ResilienceResult& out, ChaosObservations& obs);

 private:
  double seconds(Nanos mono) const;
  void warn(ChaosObservations& obs, const std::string& what, const Error& error);

  Platform& platform_;
  Nanos run_start_;
  std::vector<std::pair<std::string, std::string>> breakers_;
  // Per breaker (index in breakers_): every caller pod's last scrape, and the running totals.
  std::vector<std::map<std::string, BreakerSample>> last_by_pod_;
  std::vector<BreakerSample> totals_;
  int64_t cursor_ = 0;
  std::set<std::string> warned_;
};

}  // namespace stampede
