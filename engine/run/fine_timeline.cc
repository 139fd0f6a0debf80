#include "engine/run/fine_timeline.h"

#include <algorithm>
#include <cmath>

namespace stampede {
namespace {

// The index of the bucket holding time `s` (a tiny epsilon keeps 0.3 s in bucket 3, not 2).
int64_t bucket_at(double s) {
  return static_cast<int64_t>(std::floor(s / FineTimeline::kBucketSeconds + 1e-9));
}

// The index just past the buckets that start before `s`.
int64_t bucket_end(double s) {
  return static_cast<int64_t>(std::ceil(s / FineTimeline::kBucketSeconds - 1e-9));
}

bool meets(const FineBucket& b, const BucketSlo& slo) {
  if (b.requests == 0) return slo.empty_is_good;
  double n = static_cast<double>(b.requests);
  if (static_cast<double>(b.failed) / n > slo.max_error_rate + 1e-12) return false;
  if (slo.latency_ms > 0 &&
      static_cast<double>(b.slower_than(slo.latency_ms)) / n > slo.max_slow_rate + 1e-12) {
    return false;
  }
  return true;
}

}  // namespace

int64_t FineBucket::slower_than(double bound_ms) const {
  int64_t n = 0;
  for (size_t i = 0; i < latency.size(); ++i) {
    double lower_edge = i == 0 ? 0 : kFineLatencyBoundsMs[i - 1];
    if (lower_edge >= bound_ms) n += latency[i];
  }
  return n;
}

Availability FineTimeline::availability(double from_s, double to_s, const BucketSlo& slo) const {
  Availability a;
  int64_t first = std::max<int64_t>(0, bucket_at(from_s));
  int64_t last = std::min<int64_t>(static_cast<int64_t>(buckets_.size()), bucket_end(to_s));
  for (int64_t i = first; i < last; ++i) {
    const FineBucket& b = buckets_[static_cast<size_t>(i)];
    a.requests += b.requests;
    a.failed += b.failed;
    ++a.buckets;
    if (meets(b, slo)) ++a.good_buckets;
  }
  if (a.requests > 0) {
    a.by_requests = static_cast<double>(a.requests - a.failed) / static_cast<double>(a.requests);
  }
  if (a.buckets > 0) {
    a.by_time = static_cast<double>(a.good_buckets) / static_cast<double>(a.buckets);
  }
  return a;
}

double FineTimeline::first_bad(double from_s, double to_s, const BucketSlo& slo) const {
  int64_t first = std::max<int64_t>(0, bucket_at(from_s));
  int64_t last = std::min<int64_t>(static_cast<int64_t>(buckets_.size()), bucket_end(to_s));
  for (int64_t i = first; i < last; ++i) {
    if (!meets(buckets_[static_cast<size_t>(i)], slo))
      return static_cast<double>(i) * kBucketSeconds;
  }
  return -1;
}

double FineTimeline::first_good_streak(double from_s, double stable_s, const BucketSlo& slo) const {
  int64_t n = static_cast<int64_t>(buckets_.size());
  int64_t need = std::max<int64_t>(1, bucket_end(stable_s));
  int64_t start = -1;
  for (int64_t i = std::max<int64_t>(0, bucket_at(from_s)); i < n; ++i) {
    if (!meets(buckets_[static_cast<size_t>(i)], slo)) {
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    if (i - start + 1 >= need) return static_cast<double>(start) * kBucketSeconds;
  }
  // A streak that lasts until the end of the run counts even when shorter than `stable_s`.
  return start >= 0 ? static_cast<double>(start) * kBucketSeconds : -1;
}

}  // namespace stampede
