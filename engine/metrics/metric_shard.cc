#include "engine/metrics/metric_shard.h"

#include <algorithm>
#include <cmath>

namespace stampede {

TagSetPtr TagInterner::intern(std::vector<Tag> tags) {
  TagSet candidate(std::move(tags));
  auto range = sets_.equal_range(candidate.hash());
  for (auto it = range.first; it != range.second; ++it) {
    if (*it->second == candidate) return it->second;
  }
  if (sets_.size() >= max_sets_) {
    overflowed_ = true;
    if (!overflow_)
      overflow_ = std::make_shared<const TagSet>(std::vector<Tag>{{"overflow", "true"}});
    return overflow_;
  }
  auto ptr = std::make_shared<const TagSet>(std::move(candidate));
  sets_.emplace(ptr->hash(), ptr);
  return ptr;
}

uint32_t MetricShard::series(int metric, const TagSetPtr& tags) {
  uint64_t key = reinterpret_cast<uintptr_t>(tags.get()) * 31 + static_cast<uint64_t>(metric);
  auto it = index_.find(key);
  if (it != index_.end()) return it->second;
  Series s;
  s.metric = metric;
  s.type = registry_.def(metric).type;
  s.is_time = registry_.def(metric).is_time;
  s.tags = tags;
  series_.push_back(std::move(s));
  uint32_t id = static_cast<uint32_t>(series_.size() - 1);
  index_.emplace(key, id);
  return id;
}

void MetricShard::add(uint32_t id, double value) {
  Series& s = series_[id];
  if (s.count == 0) {
    s.min = s.max = value;
  } else {
    s.min = std::min(s.min, value);
    s.max = std::max(s.max, value);
  }
  ++s.count;
  switch (s.type) {
    case MetricType::kCounter:
    case MetricType::kTrend:
      s.sum += value;
      break;
    case MetricType::kRate:
      s.sum += value != 0 ? 1 : 0;
      break;
    case MetricType::kGauge:
      s.sum = value;
      break;
  }
  if (s.type == MetricType::kTrend) {
    const int64_t highest = s.is_time ? kTimeTrendHighest : kValueTrendHighest;
    if (!s.hist) s.hist = std::make_unique<HdrHistogram>(1, highest, 3);
    double scaled = std::clamp(value * kTrendScale, 0.0, static_cast<double>(highest));
    s.hist->record(static_cast<int64_t>(std::llround(scaled)));
  }
}

void MetricShard::take(std::vector<SeriesDelta>& out) {
  for (Series& s : series_) {
    if (s.count == 0) continue;
    SeriesDelta d;
    d.metric = s.metric;
    d.tags = s.tags;
    d.count = s.count;
    d.sum = s.sum;
    d.min = s.min;
    d.max = s.max;
    if (s.hist) {
      s.hist->export_nonzero(d.buckets);
      s.hist->reset();
    }
    out.push_back(std::move(d));
    s.count = 0;
    s.sum = 0;
  }
}

}  // namespace stampede
