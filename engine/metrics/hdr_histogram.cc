#include "engine/metrics/hdr_histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace stampede {
namespace {

constexpr int kMaxSignificantFigures = 5;

// Smallest m with 2^m >= n (n >= 1).
int32_t ceil_log2(int64_t n) {
  int32_t m = 0;
  while ((int64_t{1} << m) < n) ++m;
  return m;
}

// Floor of log2(n) for n >= 1.
int32_t floor_log2(int64_t n) {
  return 63 - std::countl_zero(static_cast<uint64_t>(n));
}

}  // namespace

Status HdrHistogram::validate(const Config& config) {
  if (config.lowest < 1) {
    return Error("hdr histogram: lowest discernible value must be >= 1, got " +
                 std::to_string(config.lowest));
  }
  if (config.figures < 0 || config.figures > kMaxSignificantFigures) {
    return Error("hdr histogram: significant figures must be 0..5, got " +
                 std::to_string(config.figures));
  }
  if (config.highest / 2 < config.lowest) {
    return Error("hdr histogram: highest trackable value " + std::to_string(config.highest) +
                 " must be at least twice the lowest discernible value " +
                 std::to_string(config.lowest));
  }
  int64_t largest_single_unit = 2;
  for (int i = 0; i < config.figures; ++i) largest_single_unit *= 10;
  const int32_t half_magnitude = std::max(ceil_log2(largest_single_unit), 1) - 1;
  if (floor_log2(config.lowest) + half_magnitude > 61) {
    return Error("hdr histogram: lowest discernible value " + std::to_string(config.lowest) +
                 " is too large for " + std::to_string(config.figures) + " significant figures");
  }
  return Status::Ok();
}

HdrHistogram::HdrHistogram(int64_t lowest_discernible, int64_t highest_trackable,
                           int significant_figures)
    : HdrHistogram(Config{lowest_discernible, highest_trackable, significant_figures}) {}

HdrHistogram::HdrHistogram(Config config)
    : lowest_discernible_(config.lowest),
      highest_trackable_(config.highest),
      significant_figures_(config.figures) {
  if (Status status = validate(config); !status.ok()) {
    throw std::invalid_argument(status.error().message());
  }
  int64_t largest_single_unit = 2;
  for (int i = 0; i < significant_figures_; ++i) largest_single_unit *= 10;
  unit_magnitude_ = floor_log2(lowest_discernible_);
  sub_bucket_half_count_magnitude_ = std::max(ceil_log2(largest_single_unit), 1) - 1;
  sub_bucket_count_ = int32_t{1} << (sub_bucket_half_count_magnitude_ + 1);
  sub_bucket_half_count_ = sub_bucket_count_ / 2;
  sub_bucket_mask_ = static_cast<int64_t>(sub_bucket_count_ - 1) << unit_magnitude_;
  leading_zero_count_base_ = 64 - unit_magnitude_ - sub_bucket_half_count_magnitude_ - 1;

  // Buckets double in width; count how many it takes to cover highest_trackable_.
  int64_t smallest_untrackable = static_cast<int64_t>(sub_bucket_count_) << unit_magnitude_;
  int32_t bucket_count = 1;
  while (smallest_untrackable <= highest_trackable_) {
    if (smallest_untrackable > std::numeric_limits<int64_t>::max() / 2) {
      ++bucket_count;
      break;
    }
    smallest_untrackable <<= 1;
    ++bucket_count;
  }
  counts_length_ = (bucket_count + 1) * sub_bucket_half_count_;
  chunks_.resize(static_cast<size_t>(bucket_count + 1));
  min_index_ = counts_length();
}

Result<HdrHistogram> HdrHistogram::create(int64_t lowest_discernible, int64_t highest_trackable,
                                          int significant_figures) {
  const Config config{lowest_discernible, highest_trackable, significant_figures};
  if (Status status = validate(config); !status.ok()) return status.error();
  return HdrHistogram(config);
}

bool HdrHistogram::same_config(const HdrHistogram& other) const {
  return lowest_discernible_ == other.lowest_discernible_ &&
         highest_trackable_ == other.highest_trackable_ &&
         significant_figures_ == other.significant_figures_;
}

Status HdrHistogram::add(const HdrHistogram& other) {
  if (!same_config(other)) {
    return Error("hdr histogram: cannot add a histogram with a different configuration");
  }
  int64_t new_total = 0;
  if (__builtin_add_overflow(total_count_, other.total_count_, &new_total)) {
    return Error("hdr histogram: total count overflows");
  }
  for (int32_t i = other.min_index_; i <= other.max_index_; ++i) {
    if (const int64_t n = other.count_at_index(i); n != 0) slot(i) += n;
  }
  total_count_ = new_total;
  saturated_count_ += other.saturated_count_;
  min_index_ = std::min(min_index_, other.min_index_);
  max_index_ = std::max(max_index_, other.max_index_);
  return Status::Ok();
}

void HdrHistogram::export_nonzero(SparseCounts& out) const {
  for (int32_t i = min_index_; i <= max_index_; ++i) {
    if (const int64_t n = count_at_index(i); n != 0) out.emplace_back(i, n);
  }
  if (saturated_count_ > 0) out.emplace_back(kSaturatedIndex, saturated_count_);
}

Status HdrHistogram::add_sparse(const SparseCounts& entries) {
  // Validate everything first so a bad vector leaves the histogram untouched.
  int64_t new_total = total_count_;
  for (const auto& [index, count] : entries) {
    if (count < 0) {
      return Error("hdr histogram: negative count " + std::to_string(count) + " at index " +
                   std::to_string(index));
    }
    if (index == kSaturatedIndex) continue;
    if (index < 0 || index >= counts_length()) {
      return Error("hdr histogram: counts index " + std::to_string(index) + " outside [0, " +
                   std::to_string(counts_length()) + ")");
    }
    if (__builtin_add_overflow(new_total, count, &new_total)) {
      return Error("hdr histogram: total count overflows");
    }
  }
  for (const auto& [index, count] : entries) {
    if (count == 0) continue;
    if (index == kSaturatedIndex) {
      saturated_count_ += count;
      continue;
    }
    slot(index) += count;
    min_index_ = std::min(min_index_, index);
    max_index_ = std::max(max_index_, index);
  }
  total_count_ = new_total;
  return Status::Ok();
}

void HdrHistogram::reset() {
  for (int32_t i = min_index_; i <= max_index_; ++i) {
    std::vector<int64_t>& chunk = chunks_[i >> sub_bucket_half_count_magnitude_];
    if (chunk.empty()) {  // skip the rest of an unallocated chunk
      i |= sub_bucket_half_count_ - 1;
      continue;
    }
    chunk[i & (sub_bucket_half_count_ - 1)] = 0;
  }
  total_count_ = 0;
  saturated_count_ = 0;
  min_index_ = counts_length();
  max_index_ = -1;
}

int64_t HdrHistogram::min() const {
  if (total_count_ == 0) return 0;
  return lowest_equivalent(value_from_index(min_index_));
}

int64_t HdrHistogram::max() const {
  if (total_count_ == 0) return 0;
  return highest_equivalent(value_from_index(max_index_));
}

double HdrHistogram::mean() const {
  if (total_count_ == 0) return 0.0;
  double total = 0.0;
  for (int32_t i = min_index_; i <= max_index_; ++i) {
    const int64_t n = count_at_index(i);
    if (n == 0) continue;
    total += static_cast<double>(median_equivalent(value_from_index(i))) * static_cast<double>(n);
  }
  return total / static_cast<double>(total_count_);
}

double HdrHistogram::stddev() const {
  if (total_count_ == 0) return 0.0;
  const double average = mean();
  double total = 0.0;
  for (int32_t i = min_index_; i <= max_index_; ++i) {
    const int64_t n = count_at_index(i);
    if (n == 0) continue;
    const double deviation = static_cast<double>(median_equivalent(value_from_index(i))) - average;
    total += deviation * deviation * static_cast<double>(n);
  }
  return std::sqrt(total / static_cast<double>(total_count_));
}

int64_t HdrHistogram::value_at_percentile(double percentile) const {
  if (total_count_ == 0) return 0;
  const double p = std::clamp(std::isnan(percentile) ? 0.0 : percentile, 0.0, 100.0);
  // Round the count up, but forgive the one-ulp error of the multiplication (99.9% of 1000 must
  // be the 999th value, not the 1000th), as HdrHistogram does.
  const double fp_count = (p / 100.0) * static_cast<double>(total_count_);
  const double ulp = std::nextafter(fp_count, std::numeric_limits<double>::infinity()) - fp_count;
  const int64_t wanted = std::max<int64_t>(static_cast<int64_t>(std::ceil(fp_count - ulp)), 1);
  int64_t running = 0;
  for (int32_t i = min_index_; i <= max_index_; ++i) {
    running += count_at_index(i);
    if (running >= wanted) {
      const int64_t value = value_from_index(i);
      return p == 0.0 ? lowest_equivalent(value) : highest_equivalent(value);
    }
  }
  return max();
}

int64_t HdrHistogram::count_at(int64_t value) const {
  return count_at_index(index_of(std::clamp<int64_t>(value, 0, highest_trackable_)));
}

size_t HdrHistogram::allocated_bytes() const {
  size_t bytes = 0;
  for (const std::vector<int64_t>& chunk : chunks_) bytes += chunk.capacity() * sizeof(int64_t);
  return bytes;
}

int64_t HdrHistogram::value_from_index(int32_t index) const {
  int32_t bucket = (index >> sub_bucket_half_count_magnitude_) - 1;
  int32_t sub_bucket = (index & (sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
  if (bucket < 0) {
    sub_bucket -= sub_bucket_half_count_;
    bucket = 0;
  }
  return static_cast<int64_t>(sub_bucket) << (bucket + unit_magnitude_);
}

int64_t HdrHistogram::size_of_equivalent_range(int64_t value) const {
  value = std::max<int64_t>(value, 0);
  const int32_t bucket = bucket_index(value);
  const int64_t sub_bucket = value >> (bucket + unit_magnitude_);
  const int32_t adjusted = sub_bucket >= sub_bucket_count_ ? bucket + 1 : bucket;
  return int64_t{1} << (unit_magnitude_ + adjusted);
}

int64_t HdrHistogram::lowest_equivalent(int64_t value) const {
  value = std::max<int64_t>(value, 0);
  const int32_t bucket = bucket_index(value);
  const int64_t sub_bucket = value >> (bucket + unit_magnitude_);
  return sub_bucket << (bucket + unit_magnitude_);
}

int64_t HdrHistogram::highest_equivalent(int64_t value) const {
  return lowest_equivalent(value) + (size_of_equivalent_range(value) - 1);
}

int64_t HdrHistogram::median_equivalent(int64_t value) const {
  return lowest_equivalent(value) + (size_of_equivalent_range(value) >> 1);
}

}  // namespace stampede
