#include "engine/metrics/hdr_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <new>
#include <random>
#include <stdexcept>
#include <tuple>
#include <vector>

// Counts heap allocations so a test can prove record() makes none. GCC flags free() of memory
// from a new-expression once this replacement is inlined; here that pairing is the point.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
std::atomic<int64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace stampede {
namespace {

// Percentiles checked everywhere, in thousandths of a percent so exact ranks use integers.
constexpr int64_t kPercentileMillis[] = {0,      1'000,  10'000, 25'000, 50'000, 75'000,
                                         90'000, 95'000, 99'000, 99'900, 99'990, 100'000};

// The value of rank ceil(p / 100 * n) (at least 1) in the sorted sample: HdrHistogram's rank.
int64_t exact_percentile(const std::vector<int64_t>& sorted, int64_t p_millis) {
  const auto n = static_cast<int64_t>(sorted.size());
  const int64_t rank = std::max<int64_t>(1, (p_millis * n + 99'999) / 100'000);
  return sorted[static_cast<size_t>(rank - 1)];
}

// Records `values` and checks every percentile, min, max, mean and stddev against the exact
// statistics of the sample, within the histogram's equivalent-value precision.
void expect_matches_exact(std::vector<int64_t> values, const HdrHistogram& config) {
  HdrHistogram h = config;
  for (int64_t v : values) ASSERT_TRUE(h.record(v));
  std::sort(values.begin(), values.end());
  ASSERT_EQ(h.total_count(), static_cast<int64_t>(values.size()));
  for (int64_t p_millis : kPercentileMillis) {
    const double p = static_cast<double>(p_millis) / 1000.0;
    const int64_t exact = exact_percentile(values, p_millis);
    const int64_t got = h.value_at_percentile(p);
    SCOPED_TRACE("p" + std::to_string(p) + " exact " + std::to_string(exact));
    // The bucket that holds the exact value is the answer: its highest (lowest for p0) value.
    EXPECT_EQ(got, p_millis == 0 ? h.lowest_equivalent(exact) : h.highest_equivalent(exact));
    EXPECT_TRUE(h.values_are_equivalent(got, exact));
    EXPECT_LE(std::abs(static_cast<double>(got - exact)),
              static_cast<double>(exact) * 0.001 + 1.0 / 1024);
  }
  EXPECT_EQ(h.min(), h.lowest_equivalent(values.front()));
  EXPECT_EQ(h.max(), h.highest_equivalent(values.back()));
  EXPECT_EQ(h.value_at_percentile(0), h.min());
  EXPECT_EQ(h.value_at_percentile(100), h.max());
  double sum = 0;
  for (int64_t v : values) sum += static_cast<double>(v);
  const double mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (int64_t v : values)
    squares += (static_cast<double>(v) - mean) * (static_cast<double>(v) - mean);
  const double stddev = std::sqrt(squares / static_cast<double>(values.size()));
  EXPECT_NEAR(h.mean(), mean, mean * 0.001);
  EXPECT_NEAR(h.stddev(), stddev, stddev * 0.001 + 1);
}

TEST(HdrHistogramTest, DefaultConfigurationLayout) {
  HdrHistogram h;
  EXPECT_EQ(h.lowest_discernible(), 1);
  EXPECT_EQ(h.highest_trackable(), 3'600'000'000);
  EXPECT_EQ(h.significant_figures(), 3);
  EXPECT_EQ(h.counts_length(), 23 * 1024);  // 22 buckets of 1024 half-sub-buckets, plus one
  EXPECT_LT(h.index_of(h.highest_trackable()), h.counts_length());
}

TEST(HdrHistogramTest, EquivalentRanges) {
  HdrHistogram h;
  EXPECT_EQ(h.size_of_equivalent_range(1), 1);
  EXPECT_EQ(h.size_of_equivalent_range(2047), 1);
  EXPECT_EQ(h.size_of_equivalent_range(2048), 2);
  EXPECT_EQ(h.size_of_equivalent_range(4096), 4);
  EXPECT_EQ(h.size_of_equivalent_range(1'000'000), 512);
  EXPECT_EQ(h.lowest_equivalent(2049), 2048);
  EXPECT_EQ(h.highest_equivalent(2048), 2049);
  EXPECT_EQ(h.median_equivalent(4096), 4098);
  EXPECT_EQ(h.highest_equivalent(1'000'000), 1'000'447);
  EXPECT_TRUE(h.values_are_equivalent(1'000'000, 1'000'447));
  EXPECT_FALSE(h.values_are_equivalent(1'000'447, 1'000'448));
}

TEST(HdrHistogramTest, IndexAndValueAreConsistent) {
  HdrHistogram h;
  for (int32_t i = 0; i < h.counts_length(); ++i) {
    const int64_t value = h.value_from_index(i);
    ASSERT_EQ(h.index_of(value), i) << value;
    ASSERT_EQ(h.index_of(h.highest_equivalent(value)), i) << value;
    ASSERT_LE(static_cast<double>(h.size_of_equivalent_range(value)),
              std::max(1.0, static_cast<double>(value) / 1024.0));
  }
}

TEST(HdrHistogramTest, CreateRejectsBadConfigurations) {
  EXPECT_FALSE(HdrHistogram::create(0, 1000, 3).ok());
  EXPECT_FALSE(HdrHistogram::create(1, 1000, 6).ok());
  EXPECT_FALSE(HdrHistogram::create(1, 1000, -1).ok());
  EXPECT_FALSE(HdrHistogram::create(100, 150, 3).ok());
  EXPECT_TRUE(HdrHistogram::create(1, 2, 0).ok());
  EXPECT_TRUE(HdrHistogram::create(1, INT64_MAX, 5).ok());
  EXPECT_THROW(HdrHistogram(1, 1, 3), std::invalid_argument);
}

TEST(HdrHistogramTest, EmptyHistogram) {
  HdrHistogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.total_count(), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.stddev(), 0.0);
  EXPECT_EQ(h.value_at_percentile(50), 0);
  int calls = 0;
  h.for_each_recorded([&](int64_t, int64_t, int64_t) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(HdrHistogramTest, RecordRejectsNegativesAndSaturatesHighValues) {
  HdrHistogram h;
  EXPECT_FALSE(h.record(-1));
  EXPECT_FALSE(h.record(5, -2));
  EXPECT_TRUE(h.record(5, 0));
  EXPECT_EQ(h.total_count(), 0);
  EXPECT_TRUE(h.record(0));
  EXPECT_TRUE(h.record(7'200'000'000, 3));
  EXPECT_EQ(h.total_count(), 4);
  EXPECT_EQ(h.saturated_count(), 3);
  EXPECT_EQ(h.count_at(h.highest_trackable()), 3);
  EXPECT_EQ(h.count_at(INT64_MAX), 3);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), h.highest_equivalent(h.highest_trackable()));
  EXPECT_GE(h.max(), 3'600'000'000);
}

TEST(HdrHistogramTest, UniformOneToMillion) {
  std::vector<int64_t> values;
  for (int64_t v = 1; v <= 1'000'000; ++v) values.push_back(v);
  expect_matches_exact(values, HdrHistogram());
}

TEST(HdrHistogramTest, Bimodal) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> fast(2'000, 300);
  std::normal_distribution<double> slow(450'000, 40'000);
  std::uniform_int_distribution<int> pick(0, 9);
  std::vector<int64_t> values;
  for (int i = 0; i < 200'000; ++i) {
    const double v = pick(rng) == 0 ? slow(rng) : fast(rng);
    values.push_back(std::max<int64_t>(1, std::llround(v)));
  }
  expect_matches_exact(values, HdrHistogram());
}

TEST(HdrHistogramTest, ExponentialFromFixedSeed) {
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> latency(1.0 / 25'000);  // mean 25 ms in µs
  std::vector<int64_t> values;
  for (int i = 0; i < 300'000; ++i) values.push_back(1 + std::llround(latency(rng)));
  expect_matches_exact(values, HdrHistogram());
}

TEST(HdrHistogramTest, CoarseUnitsAndFewFigures) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int64_t> spread(1'000, 50'000'000'000);
  std::vector<int64_t> values;
  for (int i = 0; i < 50'000; ++i) values.push_back(spread(rng));
  HdrHistogram h(1000, 100'000'000'000, 2);
  HdrHistogram copy = h;
  for (int64_t v : values) ASSERT_TRUE(copy.record(v));
  std::sort(values.begin(), values.end());
  for (int64_t p_millis : kPercentileMillis) {
    const int64_t exact = exact_percentile(values, p_millis);
    EXPECT_TRUE(copy.values_are_equivalent(copy.value_at_percentile(p_millis / 1000.0), exact));
  }
}

TEST(HdrHistogramTest, PercentileRankForgivesFloatingPointError) {
  HdrHistogram h;
  for (int64_t v = 1; v <= 1000; ++v) h.record(v);
  EXPECT_EQ(h.value_at_percentile(99.9), 999);  // not 1000: 0.999 * 1000 is 999.0000000000001
  EXPECT_EQ(h.value_at_percentile(50), 500);
  EXPECT_EQ(h.value_at_percentile(0.0001), 1);
  EXPECT_EQ(h.value_at_percentile(-5), 1);
  EXPECT_EQ(h.value_at_percentile(250), 1000);
}

TEST(HdrHistogramTest, ForEachRecordedVisitsBucketsInOrder) {
  HdrHistogram h;
  h.record(3);
  h.record(1'000'000, 4);
  h.record(3);
  std::vector<std::tuple<int64_t, int64_t, int64_t>> seen;
  h.for_each_recorded([&](int64_t lo, int64_t hi, int64_t n) { seen.emplace_back(lo, hi, n); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_tuple(int64_t{3}, int64_t{3}, int64_t{2}));
  EXPECT_EQ(seen[1], std::make_tuple(int64_t{999'936}, int64_t{1'000'447}, int64_t{4}));
  EXPECT_EQ(h.count_at(1'000'100), 4);
}

TEST(HdrHistogramTest, MergeEqualsRecordingEverything) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> dist(9.0, 1.5);
  HdrHistogram a, b, all;
  for (int i = 0; i < 100'000; ++i) {
    const int64_t v = std::llround(dist(rng));
    (i % 3 == 0 ? a : b).record(v);
    all.record(v);
  }
  a.record(9'000'000'000);
  all.record(9'000'000'000);
  ASSERT_TRUE(a.add(b).ok());
  EXPECT_EQ(a.total_count(), all.total_count());
  EXPECT_EQ(a.saturated_count(), 1);
  for (int32_t i = 0; i < all.counts_length(); ++i) {
    ASSERT_EQ(a.count_at_index(i), all.count_at_index(i)) << i;
  }
  for (double p : {0.0, 50.0, 99.0, 99.99, 100.0}) {
    EXPECT_EQ(a.value_at_percentile(p), all.value_at_percentile(p));
  }
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_DOUBLE_EQ(a.mean(), all.mean());
}

TEST(HdrHistogramTest, AddRejectsDifferentConfiguration) {
  HdrHistogram a;
  HdrHistogram b(1, 1'000'000, 2);
  a.record(10);
  b.record(20);
  const Status status = a.add(b);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("configuration"), std::string::npos);
  EXPECT_EQ(a.total_count(), 1);
}

TEST(HdrHistogramTest, ExportNonzeroAndAddSparseRoundTrip) {
  HdrHistogram source;
  source.record(17, 2);
  source.record(250'000);
  source.record(3'000'000);
  source.record(5'000'000'000);  // saturated
  SparseCounts sparse;
  sparse.emplace_back(99, 1);  // export appends: existing entries stay
  source.export_nonzero(sparse);
  ASSERT_EQ(sparse.size(), 6u);
  EXPECT_EQ(sparse[1], std::make_pair(source.index_of(17), int64_t{2}));
  EXPECT_EQ(sparse.back(), std::make_pair(HdrHistogram::kSaturatedIndex, int64_t{1}));
  sparse.erase(sparse.begin());

  HdrHistogram copy;
  ASSERT_TRUE(copy.add_sparse(sparse).ok());
  EXPECT_EQ(copy.total_count(), source.total_count());
  EXPECT_EQ(copy.saturated_count(), 1);
  for (int32_t i = 0; i < source.counts_length(); ++i) {
    ASSERT_EQ(copy.count_at_index(i), source.count_at_index(i)) << i;
  }
  for (double p : {0.0, 50.0, 90.0, 100.0}) {
    EXPECT_EQ(copy.value_at_percentile(p), source.value_at_percentile(p));
  }
  EXPECT_EQ(copy.min(), source.min());
  EXPECT_EQ(copy.max(), source.max());

  HdrHistogram target;  // add_sparse adds to what is there
  target.record(17);
  ASSERT_TRUE(target.add_sparse(sparse).ok());
  EXPECT_EQ(target.total_count(), 6);
  EXPECT_EQ(target.count_at(17), 3);
}

TEST(HdrHistogramTest, ResetTouchesOnlyTheUsedRangeAndClearsEverything) {
  HdrHistogram h;
  EXPECT_GT(h.min_touched_index(), h.max_touched_index());
  h.record(1'000);
  h.record(2'000'000, 5);
  EXPECT_EQ(h.min_touched_index(), h.index_of(1'000));
  EXPECT_EQ(h.max_touched_index(), h.index_of(2'000'000));
  h.reset();
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.saturated_count(), 0);
  EXPECT_GT(h.min_touched_index(), h.max_touched_index());
  for (int32_t i = 0; i < h.counts_length(); ++i) ASSERT_EQ(h.count_at_index(i), 0);
  SparseCounts sparse;
  h.export_nonzero(sparse);
  EXPECT_TRUE(sparse.empty());
  h.record(42);
  EXPECT_EQ(h.min(), 42);
  EXPECT_EQ(h.max(), 42);
}

TEST(HdrHistogramTest, AddSparseRejectsBadEntriesWithoutChange) {
  HdrHistogram h;
  h.record(5);
  EXPECT_FALSE(h.add_sparse({{3, 1}, {h.counts_length(), 1}}).ok());
  EXPECT_FALSE(h.add_sparse({{3, -1}}).ok());
  EXPECT_FALSE(h.add_sparse({{-7, 1}}).ok());
  EXPECT_FALSE(h.add_sparse({{3, INT64_MAX}}).ok());
  EXPECT_EQ(h.total_count(), 1);
  EXPECT_EQ(h.count_at(3), 0);
}

TEST(HdrHistogramTest, RecordAllocatesOnlyForUntouchedChunks) {
  HdrHistogram h;
  std::mt19937_64 rng(1);
  std::vector<int64_t> values(1 << 16);
  for (auto& v : values) v = static_cast<int64_t>(rng() % 10'000'000'000);
  for (int64_t v : values) h.record(v);  // touches every chunk these values need
  h.reset();                             // keeps the chunks
  const int64_t allocations_before = g_allocations.load();
  for (int i = 0; i < 10'000'000; ++i) h.record(values[static_cast<size_t>(i) & 0xffff]);
  EXPECT_EQ(g_allocations.load(), allocations_before);
  EXPECT_EQ(h.total_count(), 10'000'000);
  EXPECT_GT(h.saturated_count(), 0);
}

TEST(HdrHistogramTest, MemoryFollowsTheRecordedRange) {
  HdrHistogram h;
  EXPECT_EQ(h.allocated_bytes(), 0u);
  for (int64_t v = 50; v <= 10'000; ++v) h.record(v);  // 50 µs .. 10 ms
  // Indexes 0..2047 (two chunks) plus one chunk per doubling up to 16384: five chunks.
  EXPECT_EQ(h.allocated_bytes(), 5u * 1024 * sizeof(int64_t));
  HdrHistogram copy = h;
  EXPECT_EQ(copy.value_at_percentile(50), h.value_at_percentile(50));
  EXPECT_EQ(copy.allocated_bytes(), h.allocated_bytes());
}

}  // namespace
}  // namespace stampede
