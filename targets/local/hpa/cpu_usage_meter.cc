#include "targets/local/hpa/cpu_usage_meter.h"

#include <algorithm>
#include <string>

#include "targets/local/hpa/proc_cpu.h"

namespace stampede::local {

CpuUsageMeter::CpuUsageMeter(size_t capacity) : capacity_(std::max<size_t>(capacity, 2)) {}

Status CpuUsageMeter::sample(double now, const std::vector<pid_t>& pids) {
  if (pids.empty()) return Error("no processes to measure");
  Result<double> cpu = read_cpu_seconds(pids);
  if (!cpu.ok()) return cpu.error();
  return record(now, cpu.value(), pids);
}

Status CpuUsageMeter::record(double now, double cpu_seconds, const std::vector<pid_t>& pids) {
  if (pids.empty()) return Error("no processes to measure");
  std::vector<pid_t> sorted = pids;
  std::sort(sorted.begin(), sorted.end());
  if (sorted != pids_) {
    reset();
    pids_ = std::move(sorted);
  }
  if (!samples_.empty()) {
    const Sample& last = samples_.back();
    if (now < last.at) {
      return Error("CPU sample at " + std::to_string(now) + " s is older than the last one (" +
                   std::to_string(last.at) + " s)");
    }
    // CPU time never decreases for the same processes; if it does, the pid was reused.
    if (cpu_seconds < last.cpu_seconds) samples_.clear();
  }
  samples_.push_back({now, cpu_seconds});
  while (samples_.size() > capacity_) samples_.pop_front();
  return Status::Ok();
}

std::optional<CpuWindow> CpuUsageMeter::average(double window_seconds) const {
  if (samples_.size() < 2) return std::nullopt;
  const Sample& newest = samples_.back();
  const double boundary = newest.at - window_seconds;
  // The newest sample at or before the boundary: a window at least as long as asked.
  const Sample* oldest = &samples_.front();
  for (auto it = samples_.rbegin() + 1; it != samples_.rend(); ++it) {
    if (it->at <= boundary) {
      oldest = &*it;
      break;
    }
  }
  const double seconds = newest.at - oldest->at;
  if (seconds <= 0) return std::nullopt;
  CpuWindow w;
  w.millicores = (newest.cpu_seconds - oldest->cpu_seconds) / seconds * 1000.0;
  w.start = oldest->at;
  w.end = newest.at;
  return w;
}

void CpuUsageMeter::reset() {
  samples_.clear();
  pids_.clear();
}

}  // namespace stampede::local
