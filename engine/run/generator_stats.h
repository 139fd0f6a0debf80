// GeneratorStats: the generator's self-check — was stampede itself the bottleneck? Built by the
// run controller from the workers' interval snapshots (CPU time per thread, interval-tick lag,
// open-model schedule lag); rendered by every output. Main thread only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stampede {

// A run where the generator was the bottleneck: the busiest worker's CPU averaged over the run
// above this, or the p99 schedule lag above kBottleneckScheduleLagMs.
inline constexpr double kBottleneckCpuPercent = 85;
inline constexpr double kBottleneckScheduleLagMs = 1;

struct GeneratorStats {
  int workers = 0;
  // CPU of the busiest worker thread, percent of one core: averaged over the run's seconds, and
  // the highest second.
  double cpu_busiest_avg_percent = 0;
  double cpu_busiest_max_percent = 0;
  // Time the worker that waited longest for a CPU spent runnable but not running (the kernel's
  // run-queue delay), percent of each second: averaged over the run's seconds, and the highest
  // second. High waiting with low CPU means other processes kept stampede off the cores. -1:
  // the kernel does not say.
  double cpu_wait_avg_percent = -1;
  double cpu_wait_max_percent = -1;
  // The whole process (workers, aggregator, libcurl resolver threads), percent of one core.
  double process_cpu_percent = 0;
  // How late the workers' 1 s interval ticks fired: the event loop's lag (ms).
  double loop_lag_max_ms = 0;
  double loop_lag_avg_ms = 0;
  // How late open-model iterations started after their scheduled time (ms), over the run.
  int64_t schedule_lag_samples = 0;
  double schedule_lag_p50_ms = 0;
  double schedule_lag_p99_ms = 0;
  double schedule_lag_max_ms = 0;
  bool bottleneck = false;
  std::vector<std::string> reasons;  // why it is a bottleneck, one line each
};

}  // namespace stampede
