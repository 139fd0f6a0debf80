// IntervalSnapshot: what one worker measured in one interval (normally 1 s), handed to the
// aggregator. The only metrics data that crosses threads: built by the worker, moved through
// the queue, read by the aggregator. Trend samples travel as sparse HDR buckets.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/clock.h"
#include "engine/metrics/fine_buckets.h"
#include "engine/metrics/tag_set.h"

namespace stampede {

// The change of one series during an interval. Meaning of the fields by metric type:
//   counter: sum = total added;  rate: count = samples, sum = non-zero samples;
//   gauge: sum = last value, min/max over the interval;
//   trend: count, sum, min, max of the values (display unit: ms for time trends) and the
//          HDR buckets (values scaled by kTrendScale).
struct SeriesDelta {
  int metric = 0;
  TagSetPtr tags;
  int64_t count = 0;
  double sum = 0;
  double min = 0;
  double max = 0;
  std::vector<std::pair<int32_t, int64_t>> buckets;
};

// HDR histograms hold trend values as integers: milliseconds × 1000 (i.e. microseconds) for
// time trends, and value × 1000 for other trends.
constexpr double kTrendScale = 1000.0;

// Time trends track 1 µs to 1 h; other trends (counts, sizes, money) up to 1e12 units. Memory
// follows the range actually used (HDR counts are allocated lazily).
constexpr int64_t kTimeTrendHighest = 3'600'000'000;
constexpr int64_t kValueTrendHighest = 1'000'000'000'000'000;  // 1e12 units × kTrendScale

struct IntervalSnapshot {
  int worker = 0;
  Nanos start = 0;  // monotonic
  Nanos end = 0;
  // Which second of the run this covers: the worker's k-th tick is second k, its final
  // (partial) snapshot the second after its last tick. One snapshot per worker per second.
  int64_t second = 0;
  std::vector<SeriesDelta> series;
  std::vector<std::pair<std::string, int64_t>> script_errors;  // message → new occurrences
  // Message → Lua traceback, for messages this worker saw for the first time in the interval.
  std::vector<std::pair<std::string, std::string>> first_tracebacks;
  int64_t vus = 0;                     // VUs busy in an iteration at the end of the interval
  int64_t vus_max = 0;                 // VUs initialized
  int64_t interrupted_iterations = 0;  // iterations cut off by a stop, in this interval
  bool series_overflow = false;        // the worker hit the series cap
  bool final = false;                  // the worker's last snapshot
  // Requests by 100 ms bucket since the last snapshot, from bucket `fine_first` of the run.
  int64_t fine_first = 0;
  std::vector<FineBucket> fine;
  // Generator self-check: the worker thread's CPU time in the interval, its time waiting for a
  // CPU (run-queue delay; -1 unknown), how late its interval tick fired (0 for the final
  // snapshot), and the schedule lag of open-model iterations started in the interval (sparse HDR
  // buckets of microseconds).
  Nanos cpu = 0;
  Nanos cpu_wait = -1;
  Nanos loop_lag = 0;
  std::vector<std::pair<int32_t, int64_t>> schedule_lag;
};

}  // namespace stampede
