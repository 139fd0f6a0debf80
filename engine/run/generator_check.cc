#include "engine/run/generator_check.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace stampede {

GeneratorStats summarize_generator(const std::vector<TimePoint>& points,
                                   const HdrHistogram& schedule_lag, int workers,
                                   double process_cpu_percent) {
  GeneratorStats g;
  g.workers = workers;
  g.process_cpu_percent = process_cpu_percent;
  double cpu_sum = 0, lag_sum = 0, wait_sum = 0;
  size_t wait_points = 0;
  for (const TimePoint& p : points) {
    cpu_sum += p.cpu_percent;
    lag_sum += p.loop_lag_ms;
    g.cpu_busiest_max_percent = std::max(g.cpu_busiest_max_percent, p.cpu_percent);
    g.loop_lag_max_ms = std::max(g.loop_lag_max_ms, p.loop_lag_ms);
    if (p.cpu_wait_percent >= 0) {
      wait_sum += p.cpu_wait_percent;
      ++wait_points;
      g.cpu_wait_max_percent = std::max(g.cpu_wait_max_percent, p.cpu_wait_percent);
    }
  }
  if (!points.empty()) {
    g.cpu_busiest_avg_percent = cpu_sum / static_cast<double>(points.size());
    g.loop_lag_avg_ms = lag_sum / static_cast<double>(points.size());
  }
  if (wait_points > 0) g.cpu_wait_avg_percent = wait_sum / static_cast<double>(wait_points);
  g.schedule_lag_samples = schedule_lag.total_count();
  if (!schedule_lag.empty()) {
    g.schedule_lag_p50_ms = static_cast<double>(schedule_lag.value_at_percentile(50)) / 1000.0;
    g.schedule_lag_p99_ms = static_cast<double>(schedule_lag.value_at_percentile(99)) / 1000.0;
    g.schedule_lag_max_ms = static_cast<double>(schedule_lag.max()) / 1000.0;
  }
  char line[200];
  if (g.cpu_busiest_avg_percent > kBottleneckCpuPercent) {
    std::snprintf(line, sizeof line,
                  "the busiest worker used %.0f%% of a core on average (limit %.0f%%)",
                  g.cpu_busiest_avg_percent, kBottleneckCpuPercent);
    g.reasons.push_back(line);
  }
  if (g.schedule_lag_p99_ms > kBottleneckScheduleLagMs) {
    std::snprintf(line, sizeof line,
                  "p99 schedule lag was %.2f ms (limit %.0f ms): iterations started late",
                  g.schedule_lag_p99_ms, kBottleneckScheduleLagMs);
    std::string reason = line;
    // What the threads did meanwhile tells who delayed them (docs/reports.md, "Generator
    // self-check"): busy means stampede's own work, waiting for a CPU means other processes.
    if (g.cpu_wait_avg_percent >= 0) {
      std::snprintf(line, sizeof line,
                    " (busiest worker busy %.1f%% of a core; waiting for a CPU %.1f%% of the "
                    "time)",
                    g.cpu_busiest_avg_percent, g.cpu_wait_avg_percent);
      reason += line;
    }
    g.reasons.push_back(reason);
  }
  g.bottleneck = !g.reasons.empty();
  return g;
}

}  // namespace stampede
