// HdrHistogram: a high-dynamic-range histogram of int64 values (Gil Tene's algorithm).
//
// Values are kept in buckets whose width grows with the value, so every recorded value is
// known to `significant_figures` decimal digits (3 => within 0.1 %) across the whole range.
// stampede records latencies in microseconds: the defaults track 1 µs to 1 h.
#pragma once

#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/result.h"

namespace stampede {

// One (counts index, count) entry of a sparse export; see HdrHistogram::export_nonzero.
using SparseCounts = std::vector<std::pair<int32_t, int64_t>>;

// An HDR histogram. A value type: copyable and movable, owns its counts. The counts array is
// allocated lazily in chunks of half a bucket (1,024 counts with 3 significant figures), so
// memory follows the range of values actually recorded (a latency series spanning 50 µs–10 ms
// holds about 5 chunks, 40 KiB, instead of the 184 KiB of the whole 1 µs–1 h range).
// Not thread-safe: one thread records (a worker's metric shard); hand-offs to another thread go
// through export_nonzero()/add_sparse() or a copy. record() allocates only the first time a
// value falls into an untouched chunk; reset() keeps the chunks.
// min(), max(), mean(), stddev() and percentiles are derived from the buckets only (HdrHistogram
// semantics), so a histogram, its merge, its sparse copy and its decoded copy all agree.
class HdrHistogram {
 public:
  static constexpr int64_t kDefaultLowestDiscernible = 1;
  static constexpr int64_t kDefaultHighestTrackable = 3'600'000'000;  // 1 h in µs
  static constexpr int kDefaultSignificantFigures = 3;
  // Index used in a SparseCounts entry that carries the saturated count (not a bucket).
  static constexpr int32_t kSaturatedIndex = -1;

  // Builds an empty histogram; throws std::invalid_argument for a configuration that create()
  // would reject (a programming error: use create() for configurations read from data).
  explicit HdrHistogram(int64_t lowest_discernible = kDefaultLowestDiscernible,
                        int64_t highest_trackable = kDefaultHighestTrackable,
                        int significant_figures = kDefaultSignificantFigures);
  // Builds an empty histogram; error unless 1 <= lowest, 2 * lowest <= highest, figures 0..5.
  static Result<HdrHistogram> create(int64_t lowest_discernible, int64_t highest_trackable,
                                     int significant_figures);

  // Adds `count` occurrences of `value`. Values above highest_trackable() are recorded as
  // highest_trackable() and also counted in saturated_count(). Returns false (and records
  // nothing) for a negative value or a negative count.
  bool record(int64_t value, int64_t count = 1) {
    if (value < 0 || count < 0) return false;
    if (count == 0) return true;
    if (value > highest_trackable_) {
      value = highest_trackable_;
      saturated_count_ += count;
    }
    const int32_t index = index_of(value);
    slot(index) += count;
    total_count_ += count;
    if (index < min_index_) min_index_ = index;
    if (index > max_index_) max_index_ = index;
    return true;
  }

  // Adds every count of `other`; error (and no change) if its configuration differs or the
  // total count would overflow.
  Status add(const HdrHistogram& other);
  // Appends (counts index, count) for every non-zero bucket, lowest index first, scanning only
  // the touched index range; appends (kSaturatedIndex, n) last if n > 0 values saturated.
  void export_nonzero(SparseCounts& out) const;
  // Adds counts produced by export_nonzero() of a histogram with the same configuration; error
  // (and no change) for an index outside the counts array, a negative count or an overflowing
  // total.
  Status add_sparse(const SparseCounts& entries);
  // Clears all counts; costs only the touched index range.
  void reset();

  int64_t total_count() const { return total_count_; }
  // How many recorded values were above highest_trackable() (included in total_count()).
  int64_t saturated_count() const { return saturated_count_; }
  bool empty() const { return total_count_ == 0; }
  // Lowest equivalent value of the lowest non-empty bucket; 0 when empty.
  int64_t min() const;
  // Highest equivalent value of the highest non-empty bucket; 0 when empty.
  int64_t max() const;
  // Mean of the bucket midpoints weighted by count; 0 when empty.
  double mean() const;
  // Population standard deviation of the bucket midpoints; 0 when empty.
  double stddev() const;
  // Highest equivalent value of the bucket where the cumulative count first reaches
  // ceil(p / 100 * total); p is clamped to [0, 100]; p == 0 gives min(); 0 when empty.
  int64_t value_at_percentile(double percentile) const;
  // Count of the bucket that holds `value` (after clamping it like record() does).
  int64_t count_at(int64_t value) const;
  // Calls fn(lowest_equivalent, highest_equivalent, count) for each non-empty bucket, in
  // ascending order.
  template <typename Fn>
  void for_each_recorded(Fn&& fn) const {
    for (int32_t i = min_index_; i <= max_index_; ++i) {
      const int64_t n = count_at_index(i);
      if (n == 0) continue;
      const int64_t value = value_from_index(i);
      fn(lowest_equivalent(value), highest_equivalent(value), n);
    }
  }

  // Bucket helpers; a negative `value` is treated as 0. Never fail.
  // Smallest value in the same bucket as `value`.
  int64_t lowest_equivalent(int64_t value) const;
  // Largest value in the same bucket as `value`.
  int64_t highest_equivalent(int64_t value) const;
  // Middle value of the bucket that holds `value`.
  int64_t median_equivalent(int64_t value) const;
  // Width of the bucket that holds `value` (1 for small values, doubling per bucket).
  int64_t size_of_equivalent_range(int64_t value) const;
  // True if both values fall in the same bucket.
  bool values_are_equivalent(int64_t a, int64_t b) const {
    return lowest_equivalent(a) == lowest_equivalent(b);
  }

  int64_t lowest_discernible() const { return lowest_discernible_; }
  int64_t highest_trackable() const { return highest_trackable_; }
  int significant_figures() const { return significant_figures_; }
  // True if `other` has the same lowest, highest and significant figures.
  bool same_config(const HdrHistogram& other) const;

  // Low-level access for the codec and for tests.
  int32_t counts_length() const { return counts_length_; }
  // Counts index of a value in [0, highest_trackable()].
  int32_t index_of(int64_t value) const {
    const int32_t bucket = bucket_index(value);
    const int32_t sub_bucket = static_cast<int32_t>(value >> (bucket + unit_magnitude_));
    return ((bucket + 1) << sub_bucket_half_count_magnitude_) +
           (sub_bucket - sub_bucket_half_count_);
  }
  // Lowest value of the bucket at counts index `index`.
  int64_t value_from_index(int32_t index) const;
  int64_t count_at_index(int32_t index) const {
    const std::vector<int64_t>& chunk = chunks_[index >> sub_bucket_half_count_magnitude_];
    return chunk.empty() ? 0 : chunk[index & (sub_bucket_half_count_ - 1)];
  }
  // Bytes held by allocated chunks (for memory accounting and tests).
  size_t allocated_bytes() const;
  // Lowest and highest counts index ever touched since the last reset; min > max when empty.
  int32_t min_touched_index() const { return min_index_; }
  int32_t max_touched_index() const { return max_index_; }

 private:
  struct Config {
    int64_t lowest;
    int64_t highest;
    int figures;
  };
  explicit HdrHistogram(Config config);
  static Status validate(const Config& config);
  // The count at `index`, allocating its chunk on first use.
  int64_t& slot(int32_t index) {
    std::vector<int64_t>& chunk = chunks_[index >> sub_bucket_half_count_magnitude_];
    if (chunk.empty()) chunk.assign(static_cast<size_t>(sub_bucket_half_count_), 0);
    return chunk[index & (sub_bucket_half_count_ - 1)];
  }
  int32_t bucket_index(int64_t value) const {
    return leading_zero_count_base_ -
           std::countl_zero(static_cast<uint64_t>(value | sub_bucket_mask_));
  }

  int64_t lowest_discernible_;
  int64_t highest_trackable_;
  int significant_figures_;
  int32_t unit_magnitude_;
  int32_t sub_bucket_half_count_magnitude_;
  int32_t sub_bucket_half_count_;
  int32_t sub_bucket_count_;
  int64_t sub_bucket_mask_;
  int32_t leading_zero_count_base_;

  int32_t counts_length_ = 0;
  std::vector<std::vector<int64_t>> chunks_;  // chunk i holds indexes [i, i+1) × half count
  int64_t total_count_ = 0;
  int64_t saturated_count_ = 0;
  int32_t min_index_;  // lowest touched index; counts_length() when nothing is recorded
  int32_t max_index_ = -1;
};

}  // namespace stampede
