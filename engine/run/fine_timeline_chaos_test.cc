// The FineTimeline functions the validations rest on, checked against the header's contract.
#include <gtest/gtest.h>

#include "engine/run/fine_timeline.h"

namespace stampede {
namespace {

FineTimeline of(const std::vector<std::pair<int64_t, int64_t>>& requests_failed) {
  FineTimeline t;
  for (const auto& [n, failed] : requests_failed) {
    FineBucket b;
    b.requests = n;
    b.failed = failed;
    b.latency[3] = n;  // (1, 2] ms
    t.mutable_buckets().push_back(b);
  }
  return t;
}

TEST(FineTimelineChaosTest, SlowerThanCountsWholeClassesAboveTheBound) {
  FineBucket b;
  b.latency[13] = 5;                 // (75, 100] ms
  b.latency[14] = 7;                 // (100, 150] ms
  EXPECT_EQ(b.slower_than(100), 7);  // class 14's lower edge 100 >= 100
  EXPECT_EQ(b.slower_than(90), 7);   // class 13's lower edge 75 < 90: counted as fast
  EXPECT_EQ(b.slower_than(75), 12);
  EXPECT_EQ(b.slower_than(200), 0);
}

TEST(FineTimelineChaosTest, AvailabilityByRequestsAndTime) {
  FineTimeline t = of({{10, 0}, {10, 5}, {0, 0}, {10, 0}});
  BucketSlo slo;
  Availability all = t.availability(0, 0.4, slo);
  EXPECT_EQ(all.requests, 30);
  EXPECT_EQ(all.failed, 5);
  EXPECT_DOUBLE_EQ(all.by_requests, 25.0 / 30);
  EXPECT_EQ(all.buckets, 4);
  EXPECT_EQ(all.good_buckets, 3);  // the empty one is good by default
  slo.empty_is_good = false;
  EXPECT_EQ(t.availability(0, 0.4, slo).good_buckets, 2);
  slo.max_error_rate = 0.5;
  slo.empty_is_good = true;
  EXPECT_EQ(t.availability(0, 0.4, slo).good_buckets, 4);
  // Clamped to the run; a window with no buckets is fully available.
  EXPECT_EQ(t.availability(0.3, 99, BucketSlo{}).buckets, 1);
  Availability none = t.availability(5, 6, BucketSlo{});
  EXPECT_EQ(none.by_requests, 1);
  EXPECT_EQ(none.by_time, 1);
}

TEST(FineTimelineChaosTest, LatencySlo) {
  FineTimeline t = of({{10, 0}, {10, 0}});
  t.mutable_buckets()[1].latency = {};
  t.mutable_buckets()[1].latency[20] = 10;  // (1000, 2000] ms
  BucketSlo slo;
  slo.latency_ms = 500;
  EXPECT_EQ(t.availability(0, 0.2, slo).good_buckets, 1);
  EXPECT_DOUBLE_EQ(t.first_bad(0, 1, slo), 0.1);
}

TEST(FineTimelineChaosTest, FirstBadAndFirstGoodStreak) {
  FineTimeline t = of({{10, 0}, {10, 1}, {10, 1}, {10, 0}, {10, 1}, {10, 0}, {10, 0}, {10, 0}});
  BucketSlo slo;
  EXPECT_DOUBLE_EQ(t.first_bad(0, 1, slo), 0.1);
  EXPECT_DOUBLE_EQ(t.first_bad(0.3, 1, slo), 0.4);
  EXPECT_EQ(t.first_bad(0.5, 1, slo), -1);
  EXPECT_EQ(t.first_bad(0, 0.1, slo), -1) << "to is exclusive";
  EXPECT_DOUBLE_EQ(t.first_good_streak(0.1, 0.3, slo), 0.5);
  EXPECT_DOUBLE_EQ(t.first_good_streak(0, 0.1, slo), 0.0);
  // Good until the end of the run counts even when shorter than stable_s.
  EXPECT_DOUBLE_EQ(t.first_good_streak(0.1, 5, slo), 0.5);
  FineTimeline bad_end = of({{10, 0}, {10, 1}});
  EXPECT_EQ(bad_end.first_good_streak(0.1, 0.1, slo), -1);
}

}  // namespace
}  // namespace stampede
