// The three metric kinds. Each is one time series (one label set) and lock-free: updates are
// atomic operations, safe from any thread. Families (family.h) create and own them.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/prometheus/snapshot.h"

namespace stampede::prometheus {

// "Lock-free on the hot path" rests on this (fetch_add on a double is a CAS loop).
static_assert(std::atomic<double>::is_always_lock_free);
static_assert(std::atomic<uint64_t>::is_always_lock_free);

// Writes "name{labels,extra} value\n"; `labels` is pre-rendered (a="x",b="y") or empty.
void write_sample(std::string& out, std::string_view name, std::string_view labels,
                  std::string_view extra_label, double value);

// A value that only goes up. By convention its family's name ends in "_total" (promtool warns
// otherwise; not enforced here).
class Counter {
 public:
  static constexpr std::string_view kType = "counter";

  // Adds `v`; a negative or NaN `v` is ignored (a counter never goes down).
  void inc(double v = 1);
  double value() const { return value_.load(std::memory_order_relaxed); }
  void render(std::string& out, std::string_view name, std::string_view labels) const;
  // Copies the value into `out` (`bounds` is for histograms).
  void collect(ChildSnapshot& out, std::vector<double>& /*bounds*/) const { out.value = value(); }

 private:
  std::atomic<double> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  static constexpr std::string_view kType = "gauge";

  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  void dec(double v = 1) { value_.fetch_sub(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }
  void render(std::string& out, std::string_view name, std::string_view labels) const;
  void collect(ChildSnapshot& out, std::vector<double>& /*bounds*/) const { out.value = value(); }

 private:
  std::atomic<double> value_{0};
};

// Counts observations into buckets with the given upper bounds (inclusive, sorted, finite;
// +Inf is implicit) and keeps their sum. Rendered cumulative with _bucket, _sum and _count.
class Histogram {
 public:
  static constexpr std::string_view kType = "histogram";

  // `bounds` must be strictly increasing and finite (Registry::histogram checks that).
  explicit Histogram(std::vector<double> bounds);

  // Records `v`; NaN is ignored.
  void observe(double v);
  // Records `count` observations of `v` at once (e.g. a bucket of another histogram).
  void observe(double v, uint64_t count);
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative counts per bound, then the +Inf bucket (== count()).
  std::vector<uint64_t> cumulative_counts() const;
  uint64_t count() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  void render(std::string& out, std::string_view name, std::string_view labels) const;
  // Copies the cumulative counts and the sum into `out`, and the bounds into `bounds`.
  void collect(ChildSnapshot& out, std::vector<double>& bounds) const {
    out.cumulative = cumulative_counts();
    out.sum = sum();
    bounds = bounds_;
  }

 private:
  const std::vector<double> bounds_;
  // Non-cumulative counts, one per bound plus +Inf; summed at render time so that the hot
  // path touches one counter.
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

}  // namespace stampede::prometheus
