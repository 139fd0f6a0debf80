// MetricsEndpoint: the live Prometheus endpoint of `--metrics-addr HOST:PORT`. Serves GET
// /metrics (text exposition 0.0.4) of a RunMetrics from its own server thread while the run goes
// on. Metric names and labels: docs/reports.md, "Live metrics".
//
// Thread-safety: the server thread only renders the RunMetrics' registry (lock-free reads).
#pragma once

#include <memory>
#include <string>

#include "common/http/server.h"
#include "common/result.h"
#include "engine/output/run_metrics.h"

namespace stampede {

struct ListenAddress {
  std::string host;  // an IP literal
  uint16_t port = 0;
};

// "127.0.0.1:9464", "[::1]:0", "localhost:9464" (= 127.0.0.1), ":9464" (= 127.0.0.1). Errors name
// the flag: "--metrics-addr x: expected HOST:PORT".
Result<ListenAddress> parse_listen_address(const std::string& text);

class MetricsEndpoint {
 public:
  // Binds and starts serving `metrics`, which must outlive the endpoint. Errors name the address
  // ("bind 127.0.0.1:80: Permission denied").
  static Result<std::unique_ptr<MetricsEndpoint>> start(const ListenAddress& address,
                                                        const RunMetrics& metrics);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  // The bound port (the real one when 0 was asked for).
  uint16_t port() const { return server_->port(); }

 private:
  MetricsEndpoint() = default;

  std::unique_ptr<http::Server> server_;
};

}  // namespace stampede
