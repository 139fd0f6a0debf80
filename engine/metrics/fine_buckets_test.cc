#include "engine/metrics/fine_buckets.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(FineBuckets, LatencyClassesFollowTheBounds) {
  EXPECT_EQ(fine_latency_class(0), 0);
  EXPECT_EQ(fine_latency_class(0.25), 0);
  EXPECT_EQ(fine_latency_class(0.26), 1);
  EXPECT_EQ(fine_latency_class(10), 7);
  EXPECT_EQ(fine_latency_class(10.5), 8);
  EXPECT_EQ(fine_latency_class(10000), 22);
  EXPECT_EQ(fine_latency_class(3.6e6), 23);
}

TEST(FineRecorder, BucketsByCompletionTimeAndHandsOverTheWindow) {
  const Nanos start = 1'000 * kNanosPerSecond;
  FineRecorder rec;
  rec.start(start);
  rec.record(start + 10 * kNanosPerMilli, 1.5, false);    // bucket 0
  rec.record(start + 150 * kNanosPerMilli, 40, true);     // bucket 1
  rec.record(start + 950 * kNanosPerMilli, 2000, false);  // bucket 9
  int64_t first = -1;
  std::vector<FineBucket> out;
  rec.take(start + 990 * kNanosPerMilli, &first, out);
  EXPECT_EQ(first, 0);
  ASSERT_EQ(out.size(), 10u);
  EXPECT_EQ(out[0].requests, 1);
  EXPECT_EQ(out[0].latency[static_cast<size_t>(fine_latency_class(1.5))], 1);
  EXPECT_EQ(out[1].failed, 1);
  EXPECT_EQ(out[9].slower_than(1000), 1);
  EXPECT_EQ(out[5].requests, 0);

  // The next window starts at the bucket that held the hand-over time (9), which the
  // aggregator adds to rather than replaces.
  rec.record(start + 999 * kNanosPerMilli, 1, false);
  rec.record(start + 1'250 * kNanosPerMilli, 1, false);
  rec.take(start + 1'300 * kNanosPerMilli, &first, out);
  EXPECT_EQ(first, 9);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].requests, 1);
  EXPECT_EQ(out[3].requests, 1);

  // Nothing recorded: an empty hand-over.
  rec.take(start + 1'400 * kNanosPerMilli, &first, out);
  EXPECT_TRUE(out.empty());
}

TEST(FineRecorder, AStalledLoopFoldsIntoTheLastSlotWithoutLosingCounts) {
  FineRecorder rec;
  rec.start(0);
  rec.record(100 * kNanosPerSecond, 1, false);  // far past the 64-slot window
  rec.record(200 * kNanosPerSecond, 1, true);
  int64_t first = -1;
  std::vector<FineBucket> out;
  rec.take(200 * kNanosPerSecond, &first, out);
  ASSERT_EQ(out.size(), FineRecorder::kFineWindow);
  EXPECT_EQ(out.back().requests, 2);
  EXPECT_EQ(out.back().failed, 1);
}

}  // namespace
}  // namespace stampede
