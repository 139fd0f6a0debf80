// IntervalRecorder: turns the workers' interval snapshots into the run's per-second
// IntervalDeltas (fleet.proto) and appends them to the interval log.
//
// Runs on the controller (main) thread beside the Timeline, from the snapshots the controller
// already pops: the workers and the request path never see it. A second is closed by the same
// rule as the Timeline's (every worker reported it or a later one), then merged across workers,
// encoded (trend histograms as compressed HDR V2) and appended with a flush. Not thread-safe.
// Call order: write_header(), then add()/add_one_off() in any mix, finish(), write_footer().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/fleet/interval_log.h"
#include "engine/metrics/hdr_histogram.h"
#include "engine/metrics/interval_snapshot.h"
#include "engine/metrics/metric_registry.h"
#include "engine/run/run_result.h"

namespace stampede {

class IntervalRecorder {
 public:
  // `registry` must outlive the recorder; `workers` is the number of load workers (>= 1).
  IntervalRecorder(std::unique_ptr<IntervalLogWriter> writer, const MetricRegistry& registry,
                   int workers);

  void write_header(const fleet::RunHeader& header);
  // One load worker's snapshot (numbered with its worker index and second).
  void add(const IntervalSnapshot& snapshot);
  // setup()'s or teardown()'s snapshots, written as one delta with one_off = `name`; it ran for
  // `seconds`.
  void add_one_off(const std::string& name, const std::vector<IntervalSnapshot>& snapshots,
                   double seconds);
  // Closes every open second (the workers have stopped).
  void finish();
  void write_footer(const RunResult& result);
  // The first error writing the log; later records are not attempted after one.
  const Status& status() const { return status_; }
  const std::string& path() const { return writer_->path(); }

 private:
  struct SeriesAcc {
    int metric = 0;
    TagSetPtr tags;
    int64_t count = 0;
    double sum = 0, min = 0, max = 0;
    std::unique_ptr<HdrHistogram> hist;
  };
  struct Bin {
    std::vector<SeriesAcc> series;
    std::unordered_multimap<uint64_t, size_t> index;
    std::vector<std::pair<std::string, int64_t>> errors;
    std::map<std::string, std::string> tracebacks;
    int64_t vus = 0;
    int64_t interrupted = 0;
    bool overflow = false;
    std::vector<std::pair<int64_t, std::vector<FineBucket>>> fine;
    double cpu_percent = 0, cpu_wait_percent = -1, loop_lag_ms = 0;
    std::unique_ptr<HdrHistogram> schedule_lag;
  };
  void merge_series(Bin& bin, const SeriesDelta& d);
  void merge_common(Bin& bin, const IntervalSnapshot& snap);
  fleet::IntervalDelta encode(Bin& bin) const;
  void append(const fleet::LogRecord& record);

  std::unique_ptr<IntervalLogWriter> writer_;
  const MetricRegistry& registry_;
  std::map<int64_t, Bin> open_;
  std::vector<int64_t> reported_up_to_;  // as Timeline's
  Status status_;
};

}  // namespace stampede
