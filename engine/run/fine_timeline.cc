#include "engine/run/fine_timeline.h"

#include <algorithm>
#include <cmath>

namespace stampede {
namespace {

// [from_s, to_s) as bucket indexes clamped to [0, size). The end is the first bucket starting at
// or after to_s. The start: with `overlap`, the bucket holding from_s (every bucket overlapping
// the window counts, so the failures of the instant an action hits are in its window even when
// they land a little before the action's time was taken); without, the first bucket starting at
// or after from_s (for a streak that must lie wholly after a moment).
std::pair<size_t, size_t> bucket_range(double from_s, double to_s, size_t size, bool overlap) {
  auto index = [&](double s, bool down) {
    if (!(s > 0)) return size_t{0};
    double x = s / FineTimeline::kBucketSeconds;
    double i = down ? std::floor(x + 1e-9) : std::ceil(x - 1e-9);
    return i >= static_cast<double>(size) ? size : static_cast<size_t>(i);
  };
  size_t from = index(from_s, overlap);
  size_t to = index(to_s, false);
  return {from, std::max(from, to)};
}

}  // namespace

void FineTimeline::merge(int64_t first, const std::vector<FineBucket>& buckets) {
  if (first < 0 || buckets.empty()) return;
  size_t end = static_cast<size_t>(first) + buckets.size();
  if (buckets_.size() < end) buckets_.resize(end);
  for (size_t i = 0; i < buckets.size(); ++i)
    buckets_[static_cast<size_t>(first) + i].add(buckets[i]);
}

void FineTimeline::pad_to(double seconds) {
  if (!(seconds > 0)) return;
  auto n = static_cast<size_t>(std::ceil(seconds / kBucketSeconds - 1e-9));
  if (buckets_.size() < n) buckets_.resize(n);
}

bool FineTimeline::meets(const FineBucket& b, const BucketSlo& slo) {
  if (b.requests == 0) return slo.empty_is_good;
  double n = static_cast<double>(b.requests);
  if (static_cast<double>(b.failed) / n > slo.max_error_rate) return false;
  if (slo.latency_ms > 0 &&
      static_cast<double>(b.slower_than(slo.latency_ms)) / n > slo.max_slow_rate) {
    return false;
  }
  return true;
}

Availability FineTimeline::availability(double from_s, double to_s, const BucketSlo& slo) const {
  Availability a;
  auto [from, to] = bucket_range(from_s, to_s, buckets_.size(), /*overlap=*/true);
  for (size_t i = from; i < to; ++i) {
    const FineBucket& b = buckets_[i];
    a.requests += b.requests;
    a.failed += b.failed;
    ++a.buckets;
    if (meets(b, slo)) ++a.good_buckets;
  }
  if (a.requests > 0) {
    a.by_requests = static_cast<double>(a.requests - a.failed) / static_cast<double>(a.requests);
  }
  if (a.buckets > 0)
    a.by_time = static_cast<double>(a.good_buckets) / static_cast<double>(a.buckets);
  return a;
}

double FineTimeline::first_bad(double from_s, double to_s, const BucketSlo& slo) const {
  auto [from, to] = bucket_range(from_s, to_s, buckets_.size(), /*overlap=*/true);
  for (size_t i = from; i < to; ++i) {
    if (!meets(buckets_[i], slo)) return static_cast<double>(i) * kBucketSeconds;
  }
  return -1;
}

double FineTimeline::first_good_streak(double from_s, double stable_s, const BucketSlo& slo) const {
  auto [from, end] = bucket_range(from_s, 1e300, buckets_.size(), /*overlap=*/false);
  auto need = static_cast<size_t>(std::max(1.0, std::ceil(stable_s / kBucketSeconds - 1e-9)));
  size_t streak_start = from;
  size_t streak = 0;
  for (size_t i = from; i < end; ++i) {
    if (meets(buckets_[i], slo)) {
      if (streak == 0) streak_start = i;
      if (++streak >= need) return static_cast<double>(streak_start) * kBucketSeconds;
    } else {
      streak = 0;
    }
  }
  // A streak that runs to the end of the run counts even when shorter than stable_s.
  if (streak > 0) return static_cast<double>(streak_start) * kBucketSeconds;
  return -1;
}

}  // namespace stampede
