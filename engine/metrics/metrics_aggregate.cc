#include "engine/metrics/metrics_aggregate.h"

#include <algorithm>

namespace stampede {

double MetricValue::percentile(double p) const {
  if (!hist || hist->total_count() == 0) return 0;
  double v = static_cast<double>(hist->value_at_percentile(p)) / kTrendScale;
  // The histogram reports a bucket's upper edge; never report beyond the exact extremes.
  return std::clamp(v, min, max);
}

void MetricValue::merge(const SeriesDelta& d) {
  if (d.count == 0) return;
  if (count == 0) {
    min = d.min;
    max = d.max;
  } else {
    min = std::min(min, d.min);
    max = std::max(max, d.max);
  }
  count += d.count;
  if (type == MetricType::kGauge) {
    last = d.sum;  // the last merged snapshot wins
  } else {
    sum += d.sum;
  }
  if (!d.buckets.empty()) {
    if (!hist)
      hist = std::make_unique<HdrHistogram>(1, is_time ? kTimeTrendHighest : kValueTrendHighest, 3);
    hist->add_sparse(d.buckets);
  }
}

void MetricValue::merge(const MetricValue& o) {
  if (o.count == 0) return;
  if (count == 0) {
    min = o.min;
    max = o.max;
  } else {
    min = std::min(min, o.min);
    max = std::max(max, o.max);
  }
  count += o.count;
  sum += o.sum;
  last = o.last;
  if (o.hist) {
    if (!hist) {
      hist = std::make_unique<HdrHistogram>(*o.hist);
    } else {
      (void)hist->add(*o.hist);
    }
  }
}

void MetricsAggregate::merge(const std::vector<SeriesDelta>& deltas) {
  for (const SeriesDelta& d : deltas) {
    uint64_t key = d.tags->hash() * 31 + static_cast<uint64_t>(d.metric);
    Series* target = nullptr;
    auto range = index_.equal_range(key);
    for (auto it = range.first; it != range.second; ++it) {
      Series& s = series_[it->second];
      if (s.metric == d.metric && *s.tags == *d.tags) {
        target = &s;
        break;
      }
    }
    if (target == nullptr) {
      const MetricDef& def = registry_.def(d.metric);
      Series s{d.metric, d.tags, MetricValue{}};
      s.value.type = def.type;
      s.value.is_time = def.is_time;
      series_.push_back(std::move(s));
      index_.emplace(key, series_.size() - 1);
      target = &series_.back();
    }
    target->value.merge(d);
  }
}

MetricValue MetricsAggregate::combine(int metric, const std::vector<Tag>& filter) const {
  MetricValue out;
  const MetricDef& def = registry_.def(metric);
  out.type = def.type;
  out.is_time = def.is_time;
  for (const Series& s : series_) {
    if (s.metric != metric) continue;
    bool match = std::all_of(filter.begin(), filter.end(), [&](const Tag& t) {
      const std::string* v = s.tags->find(t.first);
      return v != nullptr && *v == t.second;
    });
    if (match) out.merge(s.value);
  }
  return out;
}

}  // namespace stampede
