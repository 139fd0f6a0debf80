// RunObserver: a live view of a running test for outputs that publish while it runs (the
// Prometheus endpoint of --metrics-addr). Called on the aggregator (main) thread only, so an
// implementation needs no lock against the controller; it must not block.
#pragma once

#include "engine/metrics/interval_snapshot.h"
#include "engine/output/progress_sink.h"
#include "engine/run/run_result.h"

namespace stampede {

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // Every worker snapshot of the load phase, as the controller absorbs it.
  virtual void on_snapshot(const IntervalSnapshot& snapshot) = 0;
  // About once a second: the progress figures, the last closed second (null before the first)
  // and the resilience data recorded so far (chaos events as the chaos controller adds them).
  virtual void on_second(const ProgressInfo& info, const TimePoint* last_second,
                         const ResilienceResult& resilience) = 0;
};

}  // namespace stampede
