// MetricsEndpoint: the live Prometheus endpoint of `--metrics-addr HOST:PORT`. Serves GET
// /metrics (text exposition 0.0.4) from its own server thread while the run goes on; the run
// controller feeds it as a RunObserver on the main thread once per worker snapshot and once a
// second. Metric names and labels: docs/reports.md, "Live metrics".
//
// Thread-safety: the observer calls come from the main thread; the registry they update is
// lock-free per metric (common/prometheus) and renders from the server thread.
#pragma once

#include <memory>
#include <string>

#include "common/http/server.h"
#include "common/prometheus/registry.h"
#include "common/result.h"
#include "engine/metrics/hdr_histogram.h"
#include "engine/run/run_observer.h"

namespace stampede {

struct ListenAddress {
  std::string host;  // an IP literal
  uint16_t port = 0;
};

// "127.0.0.1:9464", "[::1]:0", "localhost:9464" (= 127.0.0.1), ":9464" (= 127.0.0.1). Errors name
// the flag: "--metrics-addr x: expected HOST:PORT".
Result<ListenAddress> parse_listen_address(const std::string& text);

class MetricsEndpoint final : public RunObserver {
 public:
  // Binds and starts serving. Errors name the address ("bind 127.0.0.1:80: Permission denied").
  static Result<std::unique_ptr<MetricsEndpoint>> start(const ListenAddress& address);
  ~MetricsEndpoint() override;
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  // The bound port (the real one when 0 was asked for).
  uint16_t port() const { return server_->port(); }
  // The exposition text, as GET /metrics answers it.
  std::string render() const { return registry_.render(); }

  // Creates the per-scenario series at 0 so they exist before the first sample (a dropped
  // iteration may never happen). Call before the run starts.
  void declare_scenarios(const std::vector<std::string>& names);

  void on_snapshot(const IntervalSnapshot& snapshot) override;
  void on_second(const ProgressInfo& info, const TimePoint* last_second,
                 const ResilienceResult& resilience) override;

 private:
  MetricsEndpoint();

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
  std::unique_ptr<http::Server> server_;
};

}  // namespace stampede
