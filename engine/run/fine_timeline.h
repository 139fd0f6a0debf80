// FineTimeline: the run in 100 ms buckets, all workers merged — what availability-by-time,
// time-to-detect and time-to-recover are computed from (chaos validations, report charts).
// Per bucket: requests, failed requests, and a coarse latency histogram good enough to say
// "share of requests slower than X ms". Built on the main thread from the workers' interval
// snapshots; read-only afterwards.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace stampede {

// Upper bounds (ms) of the coarse latency classes: class i holds latencies <= kFineLatencyBoundsMs[i]
// (and > the previous bound); the last class is everything slower.
inline constexpr std::array<double, 24> kFineLatencyBoundsMs = {
    0.25, 0.5, 1,    2,    3,    5,    7.5,  10,   15,   20,   30,    50,
    75,   100, 150,  200,  300,  500,  750,  1000, 2000, 5000, 10000, 1e300};

struct FineBucket {
  int64_t requests = 0;
  int64_t failed = 0;
  std::array<int64_t, kFineLatencyBoundsMs.size()> latency{};  // counts per class

  // Requests whose latency was above `bound_ms` (counted by class: a class counts as slower when
  // its lower edge is >= bound_ms, so the answer errs towards "fast").
  int64_t slower_than(double bound_ms) const;
};

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
  double by_time = 1;      // good_buckets / buckets; 1 when none
};

class FineTimeline {
 public:
  static constexpr double kBucketSeconds = 0.1;

  // Bucket i covers [i × 0.1 s, (i + 1) × 0.1 s) since the run started.
  const std::vector<FineBucket>& buckets() const { return buckets_; }
  std::vector<FineBucket>& mutable_buckets() { return buckets_; }

  // Availability over [from_s, to_s) (seconds since the run started; clamped to the run).
  Availability availability(double from_s, double to_s, const BucketSlo& slo) const;
  // The start time (s) of the first bucket at or after `from_s` that does NOT meet the SLO;
  // -1 when none does before `to_s`.
  double first_bad(double from_s, double to_s, const BucketSlo& slo) const;
  // The start time (s) of the first bucket at or after `from_s` from which every bucket meets
  // the SLO for at least `stable_s` seconds (or until the end of the run); -1 when never.
  double first_good_streak(double from_s, double stable_s, const BucketSlo& slo) const;

 private:
  std::vector<FineBucket> buckets_;
};

}  // namespace stampede
