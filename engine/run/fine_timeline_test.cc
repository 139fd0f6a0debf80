#include "engine/run/fine_timeline.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

FineBucket bucket(int64_t requests, int64_t failed, double latency_ms = 5) {
  FineBucket b;
  b.requests = requests;
  b.failed = failed;
  b.latency[static_cast<size_t>(fine_latency_class(latency_ms))] = requests;
  return b;
}

// 3 s: 1 s healthy, 0.5 s all failing, 0.5 s slow, 1 s healthy.
FineTimeline outage() {
  FineTimeline t;
  std::vector<FineBucket> b;
  for (int i = 0; i < 10; ++i) b.push_back(bucket(100, 0));
  for (int i = 0; i < 5; ++i) b.push_back(bucket(100, 100));
  for (int i = 0; i < 5; ++i) b.push_back(bucket(100, 0, 400));
  for (int i = 0; i < 10; ++i) b.push_back(bucket(100, 0));
  t.merge(0, b);
  return t;
}

TEST(FineTimeline, MergeAddsOverlappingWorkerWindows) {
  FineTimeline t;
  t.merge(0, {bucket(1, 0), bucket(2, 1)});
  t.merge(1, {bucket(3, 0), bucket(4, 4)});
  ASSERT_EQ(t.buckets().size(), 3u);
  EXPECT_EQ(t.buckets()[1].requests, 5);
  EXPECT_EQ(t.buckets()[1].failed, 1);
  EXPECT_EQ(t.buckets()[2].failed, 4);
  t.pad_to(0.55);
  EXPECT_EQ(t.buckets().size(), 6u);
}

TEST(FineTimeline, AvailabilityByRequestsAndByTime) {
  FineTimeline t = outage();
  BucketSlo errors_only;
  Availability all = t.availability(0, 3, errors_only);
  EXPECT_EQ(all.requests, 3000);
  EXPECT_EQ(all.failed, 500);
  EXPECT_DOUBLE_EQ(all.by_requests, 2500.0 / 3000.0);
  EXPECT_EQ(all.buckets, 30);
  EXPECT_EQ(all.good_buckets, 25);

  BucketSlo fast;
  fast.latency_ms = 300;
  Availability with_latency = t.availability(0, 3, fast);
  EXPECT_EQ(with_latency.good_buckets, 20);
  EXPECT_DOUBLE_EQ(with_latency.by_time, 20.0 / 30.0);

  Availability fault = t.availability(1.0, 1.5, errors_only);
  EXPECT_EQ(fault.buckets, 5);
  EXPECT_DOUBLE_EQ(fault.by_requests, 0);
  EXPECT_DOUBLE_EQ(fault.by_time, 0);

  Availability beyond = t.availability(10, 20, errors_only);  // clamped to the run: empty
  EXPECT_EQ(beyond.buckets, 0);
  EXPECT_DOUBLE_EQ(beyond.by_requests, 1);
}

TEST(FineTimeline, DetectAndRecover) {
  FineTimeline t = outage();
  BucketSlo errors_only;
  BucketSlo fast;
  fast.latency_ms = 300;
  EXPECT_DOUBLE_EQ(t.first_bad(0, 3, errors_only), 1.0);
  EXPECT_DOUBLE_EQ(t.first_bad(0, 1, errors_only), -1);
  EXPECT_NEAR(t.first_good_streak(1.0, 0.5, errors_only), 1.5, 1e-9);
  EXPECT_NEAR(t.first_good_streak(1.0, 0.5, fast), 2.0, 1e-9);
  // A streak running to the end of the run counts even when shorter than asked.
  EXPECT_NEAR(t.first_good_streak(1.0, 10, fast), 2.0, 1e-9);
  BucketSlo strict;
  strict.empty_is_good = false;
  FineTimeline empty;
  empty.pad_to(1);
  EXPECT_DOUBLE_EQ(empty.first_good_streak(0, 0.1, strict), -1);
  EXPECT_DOUBLE_EQ(empty.first_bad(0, 1, strict), 0);
}

TEST(FineTimeline, AWindowCountsTheBucketItStartsIn) {
  // Failures at the instant an action hits (bucket 50, 5.0-5.1 s) belong to a window starting
  // at 5.04 s, the time taken after the platform call returned; a streak after a moment starts
  // with the first whole bucket after it.
  FineTimeline t;
  std::vector<FineBucket> buckets(100);
  for (FineBucket& b : buckets) b.requests = 10;
  buckets[50].failed = 3;
  t.merge(0, buckets);
  BucketSlo slo;
  Availability a = t.availability(5.04, 6.04, slo);
  EXPECT_EQ(a.buckets, 11);
  EXPECT_EQ(a.failed, 3);
  EXPECT_DOUBLE_EQ(t.first_bad(5.04, 6.04, slo), 5.0);
  EXPECT_NEAR(t.first_good_streak(5.04, 0.2, slo), 5.1, 1e-9);
  EXPECT_EQ(t.availability(4.0, 5.0, slo).failed, 0) << "a window ending at 5.0 s stops before";
}

TEST(FineTimeline, SlowerThanErrsTowardsFast) {
  FineBucket b = bucket(10, 0, 12);  // class (10, 15]
  EXPECT_EQ(b.slower_than(10), 10);
  EXPECT_EQ(b.slower_than(11), 0);  // part of the class might be faster: not counted
  EXPECT_EQ(b.slower_than(0), 10);
}

}  // namespace
}  // namespace stampede
