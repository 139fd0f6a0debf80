#include "common/prometheus/metrics.h"

#include <algorithm>
#include <cmath>

#include "common/prometheus/text_format.h"

namespace stampede::prometheus {

void write_sample(std::string& out, std::string_view name, std::string_view labels,
                  std::string_view extra_label, double value) {
  out += name;
  if (!labels.empty() || !extra_label.empty()) {
    out += '{';
    out += labels;
    if (!labels.empty() && !extra_label.empty()) out += ',';
    out += extra_label;
    out += '}';
  }
  out += ' ';
  out += format_value(value);
  out += '\n';
}

void Counter::inc(double v) {
  if (!(v >= 0)) return;
  value_.fetch_add(v, std::memory_order_relaxed);
}

void Counter::render(std::string& out, std::string_view name, std::string_view labels) const {
  write_sample(out, name, labels, {}, value());
}

void Gauge::render(std::string& out, std::string_view name, std::string_view labels) const {
  write_sample(out, name, labels, {}, value());
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double v) {
  if (std::isnan(v)) return;
  // The first bound >= v: buckets are "less than or equal".
  const size_t index = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  counts_[index].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

void Histogram::observe(double v, uint64_t count) {
  if (std::isnan(v) || count == 0) return;
  const size_t index = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  counts_[index].fetch_add(count, std::memory_order_relaxed);
  sum_.fetch_add(v * static_cast<double>(count), std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::cumulative_counts() const {
  std::vector<uint64_t> cumulative(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    cumulative[i] = running;
  }
  return cumulative;
}

uint64_t Histogram::count() const {
  return cumulative_counts().back();
}

void Histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
  // One snapshot, so the +Inf bucket and _count agree even while observations arrive.
  const std::vector<uint64_t> cumulative = cumulative_counts();
  const double total_sum = sum();
  const std::string bucket_name = std::string(name) + "_bucket";
  for (size_t i = 0; i < cumulative.size(); ++i) {
    const std::string le = i < bounds_.size() ? format_value(bounds_[i]) : "+Inf";
    write_sample(out, bucket_name, labels, "le=\"" + le + "\"", static_cast<double>(cumulative[i]));
  }
  write_sample(out, std::string(name) + "_sum", labels, {}, total_sum);
  write_sample(out, std::string(name) + "_count", labels, {},
               static_cast<double>(cumulative.back()));
}

}  // namespace stampede::prometheus
