// Fine buckets: the run in 100 ms slices for availability-by-time (engine/run/fine_timeline.h).
// FineBucket is what one slice holds; FineRecorder is a worker's preallocated window of slices
// for the current interval, handed over with the interval snapshot.
//
// Memory: a FineBucket is 26 × 8 = 208 bytes. A worker keeps kFineWindow (64) of them = 13 KB;
// the run-wide FineTimeline grows by 10 buckets a second: about 2 kB per second of run, 7.5 MB
// per hour.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "engine/core/clock.h"

namespace stampede {

// Upper bounds (ms) of the coarse latency classes: class i holds latencies <=
// kFineLatencyBoundsMs[i] (and > the previous bound); the last class is everything slower.
inline constexpr std::array<double, 24> kFineLatencyBoundsMs = {
    0.25, 0.5, 1,   2,   3,   5,   7.5, 10,   15,   20,   30,    50,
    75,   100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10000, 1e300};

inline constexpr Nanos kFineBucketNanos = 100 * kNanosPerMilli;

// The latency class of `ms` (the first bound >= ms). Allocation-free, O(log 24).
inline int fine_latency_class(double ms) {
  auto it = std::lower_bound(kFineLatencyBoundsMs.begin(), kFineLatencyBoundsMs.end(), ms);
  if (it == kFineLatencyBoundsMs.end()) return static_cast<int>(kFineLatencyBoundsMs.size()) - 1;
  return static_cast<int>(it - kFineLatencyBoundsMs.begin());
}

struct FineBucket {
  int64_t requests = 0;
  int64_t failed = 0;
  std::array<int64_t, kFineLatencyBoundsMs.size()> latency{};  // counts per class

  // Requests whose latency was above `bound_ms` (counted by class: a class counts as slower when
  // its lower edge is >= bound_ms, so the answer errs towards "fast").
  int64_t slower_than(double bound_ms) const;
  // Adds every count of `other`.
  void add(const FineBucket& other);
};

// A worker's fine buckets since its last interval snapshot: a window of kFineWindow slices
// starting at first(), preallocated so record() never allocates (a loop stalled for longer than
// the window folds the overflow into its last slice, keeping the counts exact). Owned by one
// worker thread; not thread-safe.
class FineRecorder {
 public:
  static constexpr size_t kFineWindow = 64;

  FineRecorder() : window_(kFineWindow) {}

  // The run's start; the recorder starts at bucket 0.
  void start(Nanos run_start) {
    run_start_ = run_start;
    first_ = 0;
    used_ = 0;
  }
  // Records one request that completed at `now` with `latency_ms`.
  void record(Nanos now, double latency_ms, bool failed) {
    int64_t index = now > run_start_ ? (now - run_start_) / kFineBucketNanos : 0;
    size_t slot = index > first_ ? static_cast<size_t>(index - first_) : 0;
    if (slot >= kFineWindow) slot = kFineWindow - 1;
    if (slot >= used_) used_ = slot + 1;
    FineBucket& b = window_[slot];
    ++b.requests;
    if (failed) ++b.failed;
    ++b.latency[static_cast<size_t>(fine_latency_class(latency_ms))];
  }
  // Copies the slices used since the last take() into `out` (from bucket *first), then starts
  // a new window at the bucket that holds `now`.
  void take(Nanos now, int64_t* first, std::vector<FineBucket>& out) {
    *first = first_;
    out.assign(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(used_));
    std::fill(window_.begin(), window_.begin() + static_cast<std::ptrdiff_t>(used_), FineBucket{});
    int64_t index = now > run_start_ ? (now - run_start_) / kFineBucketNanos : 0;
    first_ = std::max(first_, index);
    used_ = 0;
  }

 private:
  std::vector<FineBucket> window_;
  Nanos run_start_ = 0;
  int64_t first_ = 0;  // the bucket index of window_[0]
  size_t used_ = 0;    // slots touched since the last take()
};

}  // namespace stampede
