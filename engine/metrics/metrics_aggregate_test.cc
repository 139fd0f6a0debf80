#include "engine/metrics/metrics_aggregate.h"

#include <gtest/gtest.h>

#include "engine/metrics/metric_shard.h"

namespace stampede {
namespace {

// Two workers' shards, handed over as snapshots, merge into exact run-wide series.
TEST(MetricsAggregateTest, ShardsMergeByTagContentAcrossWorkers) {
  MetricRegistry registry;
  TagInterner interner_a(100), interner_b(100);
  MetricShard a(registry), b(registry);
  auto home_a = interner_a.intern({{"name", "home"}, {"method", "GET"}});
  auto home_b = interner_b.intern({{"method", "GET"}, {"name", "home"}});  // same content
  auto cart_b = interner_b.intern({{"name", "cart"}, {"method", "POST"}});
  ASSERT_NE(home_a.get(), home_b.get());
  uint32_t a_home = a.series(kHttpReqDuration, home_a);
  uint32_t b_home = b.series(kHttpReqDuration, home_b);
  uint32_t b_cart = b.series(kHttpReqDuration, cart_b);
  for (int i = 1; i <= 100; ++i) a.add(a_home, i);    // 1..100 ms
  for (int i = 101; i <= 200; ++i) b.add(b_home, i);  // 101..200 ms
  for (int i = 0; i < 10; ++i) b.add(b_cart, 1000);
  std::vector<SeriesDelta> deltas;
  a.take(deltas);
  b.take(deltas);

  MetricsAggregate agg(registry);
  agg.merge(deltas);
  EXPECT_EQ(agg.series().size(), 2u);
  MetricValue home = agg.combine(kHttpReqDuration, {{"name", "home"}});
  EXPECT_EQ(home.count, 200);
  EXPECT_DOUBLE_EQ(home.min, 1);
  EXPECT_DOUBLE_EQ(home.max, 200);
  EXPECT_DOUBLE_EQ(home.avg(), 100.5);
  EXPECT_NEAR(home.percentile(50), 100, 0.2);
  EXPECT_NEAR(home.percentile(99), 198, 0.3);
  MetricValue all = agg.combine(kHttpReqDuration, {});
  EXPECT_EQ(all.count, 210);
  EXPECT_DOUBLE_EQ(all.max, 1000);
  EXPECT_EQ(agg.combine(kHttpReqDuration, {{"name", "nope"}}).count, 0);
  EXPECT_EQ(agg.combine(kHttpReqDuration, {{"method", "POST"}}).count, 10);
}

TEST(MetricsAggregateTest, TakeResetsTheShardAndSkipsIdleSeries) {
  MetricRegistry registry;
  TagInterner interner(10);
  MetricShard shard(registry);
  uint32_t reqs = shard.series(kHttpReqs, interner.intern({}));
  uint32_t failed = shard.series(kHttpReqFailed, interner.intern({}));
  shard.add(reqs, 1);
  shard.add(reqs, 1);
  shard.add(failed, 1);
  shard.add(failed, 0);
  shard.add(failed, 0);
  std::vector<SeriesDelta> first, second;
  shard.take(first);
  shard.add(reqs, 1);
  shard.take(second);
  ASSERT_EQ(first.size(), 2u);
  ASSERT_EQ(second.size(), 1u);  // the rate series saw nothing in the second interval
  MetricsAggregate agg(registry);
  agg.merge(first);
  agg.merge(second);
  EXPECT_DOUBLE_EQ(agg.combine(kHttpReqs, {}).sum, 3);
  MetricValue rate = agg.combine(kHttpReqFailed, {});
  EXPECT_EQ(rate.count, 3);
  EXPECT_NEAR(rate.ratio(), 1.0 / 3, 1e-12);
}

TEST(MetricsAggregateTest, GaugeKeepsTheLastValueAndExtremes) {
  MetricRegistry registry;
  auto id = registry.add("queue_depth", MetricType::kGauge, false);
  ASSERT_TRUE(id.ok());
  TagInterner interner(10);
  MetricShard shard(registry);
  uint32_t s = shard.series(id.value(), interner.intern({}));
  for (double v : {5.0, 9.0, 2.0, 4.0}) shard.add(s, v);
  std::vector<SeriesDelta> d;
  shard.take(d);
  MetricsAggregate agg(registry);
  agg.merge(d);
  MetricValue g = agg.combine(id.value(), {});
  EXPECT_DOUBLE_EQ(g.last, 4);
  EXPECT_DOUBLE_EQ(g.min, 2);
  EXPECT_DOUBLE_EQ(g.max, 9);
}

TEST(MetricsAggregateTest, InternerFoldsPastTheCap) {
  TagInterner interner(2);
  auto a = interner.intern({{"name", "a"}});
  auto b = interner.intern({{"name", "b"}});
  EXPECT_FALSE(interner.overflowed());
  auto c = interner.intern({{"name", "c"}});
  auto d = interner.intern({{"name", "d"}});
  EXPECT_TRUE(interner.overflowed());
  EXPECT_EQ(c.get(), d.get());
  EXPECT_EQ(*c->find("overflow"), "true");
  EXPECT_EQ(interner.intern({{"name", "a"}}).get(), a.get());  // known sets still resolve
  EXPECT_NE(a.get(), b.get());
}

TEST(MetricRegistryTest, UserMetricsAndErrors) {
  MetricRegistry registry;
  auto orders = registry.add("orders", MetricType::kCounter, false);
  ASSERT_TRUE(orders.ok());
  EXPECT_EQ(registry.add("orders", MetricType::kCounter, false).value(), orders.value());
  auto clash = registry.add("orders", MetricType::kTrend, false);
  ASSERT_FALSE(clash.ok());
  EXPECT_NE(clash.error().message().find("already a counter"), std::string::npos);
  EXPECT_FALSE(registry.add("2fast", MetricType::kCounter, false).ok());
  EXPECT_FALSE(registry.add("http_reqs", MetricType::kTrend, false).ok());
  registry.freeze();
  EXPECT_TRUE(registry.add("orders", MetricType::kCounter, false).ok());
  auto late = registry.add("late", MetricType::kCounter, false);
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.error().message().find("init code"), std::string::npos);
}

}  // namespace
}  // namespace stampede
