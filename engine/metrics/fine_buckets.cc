#include "engine/metrics/fine_buckets.h"

namespace stampede {

int64_t FineBucket::slower_than(double bound_ms) const {
  int64_t slow = 0;
  for (size_t i = 0; i < latency.size(); ++i) {
    double lower_edge = i == 0 ? 0 : kFineLatencyBoundsMs[i - 1];
    if (lower_edge >= bound_ms) slow += latency[i];
  }
  return slow;
}

void FineBucket::add(const FineBucket& other) {
  requests += other.requests;
  failed += other.failed;
  for (size_t i = 0; i < latency.size(); ++i) latency[i] += other.latency[i];
}

}  // namespace stampede
