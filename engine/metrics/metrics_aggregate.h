// MetricsAggregate: run-wide totals of every series, merged from worker snapshots.
//
// Owned by the aggregator (main) thread; not thread-safe. Workers' tag sets are matched by
// content, so the same tags from two workers land in one series. Histograms merge exactly.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "engine/metrics/hdr_histogram.h"
#include "engine/metrics/interval_snapshot.h"
#include "engine/metrics/metric_registry.h"
#include "engine/metrics/tag_set.h"

namespace stampede {

// The combined value of one or more series of a metric. Values are in the metric's display
// unit (milliseconds for time trends).
struct MetricValue {
  MetricType type = MetricType::kCounter;
  bool is_time = false;
  int64_t count = 0;  // samples (counter: number of add() calls)
  double sum = 0;     // counter total; rate non-zero samples; trend sum
  double min = 0;
  double max = 0;
  double last = 0;                     // gauge value
  std::unique_ptr<HdrHistogram> hist;  // trends only

  double avg() const { return count > 0 ? sum / static_cast<double>(count) : 0; }
  // Rate metrics: share of non-zero samples (0 when empty).
  double ratio() const { return count > 0 ? sum / static_cast<double>(count) : 0; }
  // Trends: the value at percentile p (0–100), from the HDR histogram.
  double percentile(double p) const;
  void merge(const SeriesDelta& delta);
  void merge(const MetricValue& other);
};

class MetricsAggregate {
 public:
  explicit MetricsAggregate(const MetricRegistry& registry) : registry_(registry) {}

  struct Series {
    int metric;
    TagSetPtr tags;
    MetricValue value;
  };

  void merge(const std::vector<SeriesDelta>& deltas);
  const std::vector<Series>& series() const { return series_; }
  // Combines every series of `metric` whose tags include all `filter` tags; an empty value (of
  // the metric's type) when nothing matches.
  MetricValue combine(int metric, const std::vector<Tag>& filter) const;
  const MetricRegistry& registry() const { return registry_; }

 private:
  const MetricRegistry& registry_;
  std::vector<Series> series_;
  std::unordered_multimap<uint64_t, size_t> index_;
};

}  // namespace stampede
