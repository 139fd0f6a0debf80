// MetricShard: one worker's metric samples for the current interval.
//
// Owned by a worker thread; not thread-safe. add() is the request path: no locks, no
// allocation (HDR histograms are allocated when a trend series is first used). take() moves
// the interval's deltas into a snapshot and resets the shard for the next interval.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/metrics/hdr_histogram.h"
#include "engine/metrics/interval_snapshot.h"
#include "engine/metrics/metric_registry.h"
#include "engine/metrics/tag_set.h"

namespace stampede {

// Interns tag sets by content so that equal tag lists share one TagSetPtr. Past `max_sets`
// distinct sets it returns a shared overflow set ({overflow:true}) and reports overflowed().
class TagInterner {
 public:
  explicit TagInterner(size_t max_sets) : max_sets_(max_sets) {}
  TagSetPtr intern(std::vector<Tag> tags);
  bool overflowed() const { return overflowed_; }
  size_t size() const { return sets_.size(); }

 private:
  size_t max_sets_;
  bool overflowed_ = false;
  std::unordered_multimap<uint64_t, TagSetPtr> sets_;
  TagSetPtr overflow_;
};

class MetricShard {
 public:
  explicit MetricShard(const MetricRegistry& registry) : registry_(registry) {}

  // The series id for (metric, tags); `tags` must come from a TagInterner (identity = content).
  uint32_t series(int metric, const TagSetPtr& tags);
  // Records one sample: counter increment, gauge value, rate boolean (0 / non-0) or trend value
  // (ms for time trends).
  void add(uint32_t series, double value);
  // Appends every series touched since the last take() to `out` and resets them.
  void take(std::vector<SeriesDelta>& out);

 private:
  struct Series {
    int metric;
    MetricType type;
    bool is_time;
    TagSetPtr tags;
    int64_t count = 0;
    double sum = 0;
    double min = 0;
    double max = 0;
    std::unique_ptr<HdrHistogram> hist;
  };
  const MetricRegistry& registry_;
  std::vector<Series> series_;
  std::unordered_map<uint64_t, uint32_t> index_;  // (metric, TagSet*) → series
};

}  // namespace stampede
