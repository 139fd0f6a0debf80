#include "engine/run/timeline.h"

#include <algorithm>
#include <climits>

namespace stampede {

void Timeline::add(const IntervalSnapshot& snap) {
  int64_t second = snap.second;
  Bucket& b = open_[second];
  b.point.t = static_cast<double>(second);
  b.point.vus += snap.vus;
  fine_.merge(snap.fine_first, snap.fine);
  if (snap.end > snap.start) {
    double cpu = 100.0 * static_cast<double>(snap.cpu) / static_cast<double>(snap.end - snap.start);
    b.point.cpu_percent = std::max(b.point.cpu_percent, cpu);
    if (snap.cpu_wait >= 0) {
      double wait =
          100.0 * static_cast<double>(snap.cpu_wait) / static_cast<double>(snap.end - snap.start);
      b.point.cpu_wait_percent = std::max(b.point.cpu_wait_percent, wait);
    }
  }
  b.point.loop_lag_ms =
      std::max(b.point.loop_lag_ms, static_cast<double>(snap.loop_lag) / kNanosPerMilli);
  if (!snap.schedule_lag.empty()) {
    if (!b.schedule_lag) b.schedule_lag = std::make_unique<HdrHistogram>();
    (void)b.schedule_lag->add_sparse(snap.schedule_lag);
    (void)schedule_lag_.add_sparse(snap.schedule_lag);
  }
  for (const SeriesDelta& d : snap.series) {
    switch (d.metric) {
      case kHttpReqs:
        b.point.requests += static_cast<int64_t>(d.sum);
        break;
      case kHttpReqFailed:
        b.point.failed += static_cast<int64_t>(d.sum);
        break;
      case kIterations:
        b.point.iterations += static_cast<int64_t>(d.sum);
        break;
      case kDroppedIterations:
        b.point.dropped += static_cast<int64_t>(d.sum);
        break;
      case kHttpReqDuration:
        if (!b.latency) b.latency = std::make_unique<HdrHistogram>();
        (void)b.latency->add_sparse(d.buckets);
        break;
      default:
        break;
    }
  }
  if (snap.worker >= 0 && static_cast<size_t>(snap.worker) < reported_up_to_.size()) {
    reported_up_to_[snap.worker] = snap.final ? INT64_MAX : second;
  }
  int64_t complete = *std::min_element(reported_up_to_.begin(), reported_up_to_.end());
  while (!open_.empty() && open_.begin()->first <= complete) close(open_.begin());
}

void Timeline::close(std::map<int64_t, Bucket>::iterator it) {
  Bucket& b = it->second;
  if (b.latency && !b.latency->empty()) {
    auto ms = [&](double p) {
      return static_cast<double>(b.latency->value_at_percentile(p)) / 1000.0;
    };
    b.point.p50 = ms(50);
    b.point.p90 = ms(90);
    b.point.p95 = ms(95);
    b.point.p99 = ms(99);
    b.point.max = static_cast<double>(b.latency->max()) / 1000.0;
    if (hlog_ != nullptr) {
      Status st = hlog_->write_interval(hlog_offset_ + b.point.t - 1.0, 1.0, *b.latency);
      if (!st.ok() && hlog_status_.ok()) hlog_status_ = st;
    }
  }
  if (b.schedule_lag && !b.schedule_lag->empty()) {
    b.point.schedule_lag_p99_ms =
        static_cast<double>(b.schedule_lag->value_at_percentile(99)) / 1000.0;
  }
  points_.push_back(b.point);
  open_.erase(it);
}

void Timeline::finish() {
  while (!open_.empty()) close(open_.begin());
}

}  // namespace stampede
