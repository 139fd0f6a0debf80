// ProgressSink: where a running test reports to while it runs (the terminal, or nothing).
// Called from the aggregator (main) thread only.
#pragma once

#include <cstdint>
#include <string>

#include "engine/core/clock.h"

namespace stampede {

struct ProgressInfo {
  Nanos elapsed = 0;
  Nanos planned = 0;  // the plan's longest possible duration
  int64_t vus = 0;
  int64_t vus_max = 0;
  double requests_per_second = 0;  // over the last complete second
  int64_t requests = 0;            // so far
  int64_t failed = 0;              // so far
  double p95_ms = 0;               // over the last complete second
  double p99_ms = 0;
  bool stopping = false;
};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // About once a second.
  virtual void update(const ProgressInfo& info) = 0;
  // A one-off line: a warning, the first traceback of a script error, a stop notice.
  virtual void message(const std::string& text) = 0;
  // The run is over; the next output is the summary.
  virtual void finish() = 0;
};

}  // namespace stampede
