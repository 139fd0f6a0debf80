// CpuUsageMeter: one pod's CPU usage, measured from its processes' CPU time the way the
// kubelet's samples behind metrics-server are: a bounded ring of (time, cumulative CPU seconds)
// samples, and the average usage between two of them. The answer carries when its window began
// (PodCpu::metric_window_start), which the HPA needs to ignore samples from before a readiness
// change. Not thread-safe: one per pod, used by the runtime's sampling thread.
//
// Feeding the HPA: sample each pod's process every second or so; at a sync, with
// w = average(window), set PodCpu::cpu_millicores = w->millicores and
// PodCpu::metric_window_start = w->start, or cpu_millicores = -1 (no metric) when w is empty.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "common/result.h"

namespace stampede::local {

// Average usage between two samples.
struct CpuWindow {
  double millicores = 0;  // 1000 = one core busy
  double start = 0;       // time of the older sample (seconds, the caller's clock)
  double end = 0;         // time of the newest sample
};

class CpuUsageMeter {
 public:
  // Keeps the newest `capacity` samples (at least 2).
  explicit CpuUsageMeter(size_t capacity = 256);

  // Reads the CPU time of `pids` (see proc_cpu.h) and records it at `now` (seconds on the
  // caller's monotonic clock). A different set of pids than the last sample (a restarted
  // container) starts the history afresh, as the counters restart. Errors: no pids, a pid
  // without a /proc entry (nothing is recorded), `now` before the last sample.
  Status sample(double now, const std::vector<pid_t>& pids);

  // Records a reading taken elsewhere; same rules as sample().
  Status record(double now, double cpu_seconds, const std::vector<pid_t>& pids);

  // Average usage over about the last `window_seconds`: from the newest sample at least that
  // old (or the oldest one, when the history is shorter) to the newest sample. Empty with fewer
  // than two samples.
  std::optional<CpuWindow> average(double window_seconds) const;

  size_t samples() const { return samples_.size(); }
  // Forgets the history (the pod's processes were replaced).
  void reset();

 private:
  struct Sample {
    double at;
    double cpu_seconds;
  };
  size_t capacity_;
  std::deque<Sample> samples_;
  std::vector<pid_t> pids_;  // sorted; the processes behind samples_
};

}  // namespace stampede::local
