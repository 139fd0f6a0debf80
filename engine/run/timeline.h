// Timeline: the run second by second. Bins worker snapshots by the second they are numbered
// with, and closes a second once every worker reported it or a later one: its point is computed,
// its latency histogram is appended to the .hlog (when one is open) and dropped. Also merges the
// workers' 100 ms buckets into the fine timeline and their self-check figures (CPU, loop lag,
// schedule lag) into each second and the run-wide schedule-lag histogram. Main thread only.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "engine/metrics/hdr_histogram.h"
#include "engine/metrics/hlog_writer.h"
#include "engine/metrics/interval_snapshot.h"
#include "engine/run/run_result.h"

namespace stampede {

class Timeline {
 public:
  // `hlog` may be null; when given, its header has been written and its time base lies
  // `hlog_offset_seconds` before the run's start.
  Timeline(int workers, HlogWriter* hlog, double hlog_offset_seconds = 0)
      : hlog_(hlog),
        hlog_offset_(hlog_offset_seconds),
        reported_up_to_(static_cast<size_t>(workers), 0) {}

  void add(const IntervalSnapshot& snapshot);
  // Closes every open second (at the end of the run).
  void finish();
  const std::vector<TimePoint>& points() const { return points_; }
  FineTimeline& fine() { return fine_; }
  // Every open-model iteration's schedule lag (µs), all workers, the whole run.
  const HdrHistogram& schedule_lag() const { return schedule_lag_; }
  // The first error writing the .hlog (the run goes on without the rest of the log).
  const Status& hlog_status() const { return hlog_status_; }

 private:
  struct Bucket {
    TimePoint point;
    std::unique_ptr<HdrHistogram> latency;
    std::unique_ptr<HdrHistogram> schedule_lag;
  };
  void close(std::map<int64_t, Bucket>::iterator it);

  HlogWriter* hlog_;
  double hlog_offset_;
  std::map<int64_t, Bucket> open_;
  // Per worker: the last second it has reported (a worker's snapshots arrive in order; its final
  // one counts for every later second). Second s closes once every entry is >= s.
  std::vector<int64_t> reported_up_to_;
  Status hlog_status_;
  std::vector<TimePoint> points_;
  FineTimeline fine_;
  HdrHistogram schedule_lag_;
};

}  // namespace stampede
