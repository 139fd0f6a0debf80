#include "common/prometheus/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "common/prometheus/registry.h"

namespace stampede::prometheus {
namespace {

TEST(Counter, OnlyGoesUp) {
  Counter counter;
  counter.inc();
  counter.inc(2.5);
  counter.inc(-10);
  counter.inc(NAN);
  EXPECT_EQ(counter.value(), 3.5);
}

TEST(Histogram, CountsIntoInclusiveBucketsAndIgnoresNan) {
  Histogram histogram({1, 2, 4});
  for (double v : {0.0, 1.0, 1.5, 2.0, 3.0, 4.0, 100.0, -1.0}) histogram.observe(v);
  histogram.observe(NAN);
  EXPECT_EQ(histogram.cumulative_counts(), (std::vector<uint64_t>{3, 5, 7, 8}));
  EXPECT_EQ(histogram.count(), 8u);
  EXPECT_EQ(histogram.sum(), 110.5);
}

TEST(Histogram, ObservesManyAtOnce) {
  Histogram histogram({1, 2, 4});
  histogram.observe(1.5, 10);
  histogram.observe(8, 2);
  histogram.observe(3, 0);
  histogram.observe(NAN, 5);
  EXPECT_EQ(histogram.cumulative_counts(), (std::vector<uint64_t>{0, 10, 10, 12}));
  EXPECT_EQ(histogram.sum(), 31.0);
}

TEST(Concurrency, ThreadsIncrementingGiveExactTotals) {
  Registry registry;
  auto& counters = registry.counter("c_total", "C.", {"worker"});
  auto& gauge = registry.gauge("g", "G.");
  auto& histogram = registry.histogram("h_seconds", "H.", {}, {0.5});
  constexpr int kThreads = 4;
  constexpr int kIterations = 50000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        // Children are created concurrently too: every thread uses "shared" and its own.
        counters.with({"shared"}).inc();
        counters.with({"own" + std::to_string(t)}).inc(2);
        gauge.with().inc();
        histogram.with().observe(i % 2 == 0 ? 0.25 : 1);
      }
    });
  }
  // Rendering while the writers run must neither crash nor block them for good.
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(registry.render().empty());
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(counters.with({"shared"}).value(), kThreads * kIterations);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(counters.with({"own" + std::to_string(t)}).value(), 2.0 * kIterations);
  }
  EXPECT_EQ(gauge.with().value(), kThreads * kIterations);
  const Histogram& h = histogram.with();
  EXPECT_EQ(h.count(), uint64_t{kThreads} * kIterations);
  EXPECT_EQ(h.cumulative_counts().front(), uint64_t{kThreads} * kIterations / 2);
  EXPECT_EQ(h.sum(), kThreads * (kIterations / 2) * 1.25);
  EXPECT_NE(registry.render().find("c_total{worker=\"shared\"} 200000\n"), std::string::npos);
}

}  // namespace
}  // namespace stampede::prometheus
