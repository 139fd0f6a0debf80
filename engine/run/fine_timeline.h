// FineTimeline: the run in 100 ms buckets, all workers merged — what availability-by-time,
// time-to-detect and time-to-recover are computed from (chaos validations, report charts).
// Per bucket: requests, failed requests, and a coarse latency histogram good enough to say
// "share of requests slower than X ms". Built on the main thread from the workers' interval
// snapshots; read-only afterwards.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/metrics/fine_buckets.h"  // FineBucket, kFineLatencyBoundsMs

namespace stampede {

// A service level for one bucket: at most `max_error_rate` of its requests failed and, when
// latency_ms > 0, at most `max_slow_rate` of them were slower than latency_ms. A bucket with no
// requests meets the SLO only when `empty_is_good` (e.g. nothing was sent in that 100 ms).
struct BucketSlo {
  double max_error_rate = 0;
  double latency_ms = 0;
  double max_slow_rate = 0.01;
  bool empty_is_good = true;
};

struct Availability {
  int64_t requests = 0;
  int64_t failed = 0;
  double by_requests = 1;  // (requests - failed) / requests; 1 when none
  int64_t buckets = 0;
  int64_t good_buckets = 0;
  double by_time = 1;  // good_buckets / buckets; 1 when none
};

class FineTimeline {
 public:
  static constexpr double kBucketSeconds = 0.1;

  // Bucket i covers [i × 0.1 s, (i + 1) × 0.1 s) since the run started.
  const std::vector<FineBucket>& buckets() const { return buckets_; }
  std::vector<FineBucket>& mutable_buckets() { return buckets_; }
  // Adds `buckets` (a worker's window) into the timeline from bucket `first` on, growing it.
  void merge(int64_t first, const std::vector<FineBucket>& buckets);
  // The run's length in buckets (the timeline is padded with empty buckets up to it).
  void pad_to(double seconds);
  // Whether bucket `b` meets the SLO.
  static bool meets(const FineBucket& b, const BucketSlo& slo);

  // Availability over [from_s, to_s) (seconds since the run started; clamped to the run): every
  // bucket overlapping it, so a bucket on the border of two adjacent windows counts in both.
  Availability availability(double from_s, double to_s, const BucketSlo& slo) const;
  // The start time (s) of the first bucket overlapping [from_s, to_s) that does NOT meet the SLO;
  // -1 when none does before `to_s`.
  double first_bad(double from_s, double to_s, const BucketSlo& slo) const;
  // The start time (s) of the first bucket at or after `from_s` from which every bucket meets
  // the SLO for at least `stable_s` seconds (or until the end of the run); -1 when never.
  double first_good_streak(double from_s, double stable_s, const BucketSlo& slo) const;

 private:
  std::vector<FineBucket> buckets_;
};

}  // namespace stampede
