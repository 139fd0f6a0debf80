// RunMetrics: the run's Prometheus series (names and labels: docs/reports.md, "Live metrics"),
// fed as a RunObserver once per worker snapshot and once a second. MetricsEndpoint serves them
// live on /metrics (--metrics-addr); the Pushgateway push (pushgateway.h) sends the same series
// at the end of the run.
//
// Thread-safety: the observer calls and finish() come from the main thread; the registry they
// update is lock-free per metric (common/prometheus) and may be rendered from any thread.
#pragma once

#include <string>
#include <vector>

#include "common/prometheus/registry.h"
#include "engine/metrics/hdr_histogram.h"
#include "engine/run/run_observer.h"

namespace stampede {

class RunMetrics final : public RunObserver {
 public:
  RunMetrics();
  RunMetrics(const RunMetrics&) = delete;
  RunMetrics& operator=(const RunMetrics&) = delete;

  // OK, or the first family the registry refused (a programming error).
  Status status() const { return registry_.status(); }
  const prometheus::Registry& registry() const { return registry_; }
  // The exposition text, as GET /metrics answers it.
  std::string render() const { return registry_.render(); }

  // Creates the per-scenario series at 0 so they exist before the first sample (a dropped
  // iteration may never happen). Call before the run starts.
  void declare_scenarios(const std::vector<std::string>& names);

  void on_snapshot(const IntervalSnapshot& snapshot) override;
  void on_second(const ProgressInfo& info, const TimePoint* last_second,
                 const ResilienceResult& resilience) override;
  // The run is over: the gauges take their final values (no VU busy, the run's whole duration,
  // its peak VUs, the chaos actions still not reverted). The counters are already final.
  void finish(const RunResult& result);

 private:
  void set_chaos_active(const ResilienceResult& resilience);

  prometheus::Registry registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Counter>& failed_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& iterations_;
  prometheus::Family<prometheus::Counter>& dropped_;
  prometheus::Family<prometheus::Counter>& data_sent_;
  prometheus::Family<prometheus::Counter>& data_received_;
  prometheus::Gauge& vus_;
  prometheus::Gauge& vus_max_;
  prometheus::Gauge& elapsed_;
  prometheus::Gauge& chaos_active_;
  prometheus::Gauge& cpu_;
  prometheus::Gauge& loop_lag_;
  prometheus::Histogram& schedule_lag_;
  HdrHistogram scratch_;  // decodes snapshots' sparse HDR buckets (µs)
};

}  // namespace stampede
