#include "engine/exec/segment.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "engine/exec/schedule.h"

namespace stampede {
namespace {

TEST(Segment, SharesSumToTotal) {
  for (int64_t total = 0; total <= 1000; ++total) {
    for (int count = 1; count <= 64; ++count) {
      int64_t sum = 0;
      int64_t low = std::numeric_limits<int64_t>::max();
      int64_t high = 0;
      for (int i = 0; i < count; ++i) {
        const int64_t share = segment_share(total, i, count);
        ASSERT_EQ(segment_offset(total, i, count), sum) << total << " " << i << "/" << count;
        sum += share;
        low = std::min(low, share);
        high = std::max(high, share);
      }
      ASSERT_EQ(sum, total) << total << " over " << count;
      ASSERT_LE(high - low, 1) << total << " over " << count;  // as even as possible
    }
  }
}

TEST(Segment, LargeTotals) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  for (int64_t total : {max, max - 1, int64_t{1} << 62, int64_t{3600000000}}) {
    for (int count : {1, 2, 3, 7, 64, 1000}) {
      int64_t sum = 0;
      for (int i = 0; i < count; ++i) {
        ASSERT_EQ(segment_offset(total, i, count), sum);
        sum += segment_share(total, i, count);
      }
      ASSERT_EQ(sum, total);
    }
  }
}

TEST(Segment, ShareCountsOwnedIndexes) {
  for (int count = 1; count <= 12; ++count) {
    std::vector<int64_t> owned(count, 0);
    for (int64_t k = 0; k < 200; ++k) {
      int owners = 0;
      for (int i = 0; i < count; ++i) {
        if (segment_owns(k, i, count)) {
          ++owners;
          ++owned[i];
          EXPECT_EQ(segment_global_index(owned[i] - 1, i, count), k);
        }
      }
      ASSERT_EQ(owners, 1) << k;  // every index has exactly one owner
      for (int i = 0; i < count; ++i) {
        ASSERT_EQ(segment_share(k + 1, i, count), owned[i]) << k << " " << i << "/" << count;
      }
    }
  }
}

// k6: ExecutionSegmentSequenceWrapper.ScaleInt64 over "0,1/3,2/3,1" gives 10 → 4, 3, 3 and
// 2 → 1, 1, 0; over "0,1/2,1", 3 → 2, 1.
TEST(Segment, MatchesK6EqualSegments) {
  EXPECT_EQ(segment_share(10, 0, 3), 4);
  EXPECT_EQ(segment_share(10, 1, 3), 3);
  EXPECT_EQ(segment_share(10, 2, 3), 3);
  EXPECT_EQ(segment_share(2, 0, 3), 1);
  EXPECT_EQ(segment_share(2, 1, 3), 1);
  EXPECT_EQ(segment_share(2, 2, 3), 0);
  EXPECT_EQ(segment_share(3, 0, 2), 2);
  EXPECT_EQ(segment_share(3, 1, 2), 1);
  EXPECT_EQ(segment_offset(10, 2, 3), 7);
}

TEST(Segment, InvalidArguments) {
  EXPECT_EQ(segment_share(10, 0, 0), 0);
  EXPECT_EQ(segment_share(10, 3, 3), 0);
  EXPECT_EQ(segment_share(10, -1, 3), 0);
  EXPECT_EQ(segment_share(-5, 0, 3), 0);
  EXPECT_EQ(segment_offset(10, 5, 3), 0);
  EXPECT_EQ(segment_offset(-5, 1, 3), 0);
  EXPECT_FALSE(segment_owns(-1, 0, 3));
  EXPECT_FALSE(segment_owns(3, 0, 0));
  EXPECT_FALSE(segment_owns(3, 4, 3));
  EXPECT_EQ(segment_global_index(-1, 0, 3), 0);
  EXPECT_EQ(segment_global_index(2, 3, 3), 0);
}

// Workers that each take their striped arrivals of one schedule start, between them, exactly the
// schedule's arrivals, and each worker's count up to any time is its share of the global count.
TEST(Segment, SplitsAnArrivalScheduleExactly) {
  const ArrivalSchedule s =
      ArrivalSchedule::ramping(0, {{10 * kNanosPerSecond, 100}, {5 * kNanosPerSecond, 100}},
                               kNanosPerSecond)
          .value();
  ASSERT_EQ(s.total(), 1000);
  for (int workers : {1, 2, 3, 7, 16}) {
    int64_t started = 0;
    for (int i = 0; i < workers; ++i) {
      int64_t mine = 0;
      for (int64_t j = 0;; ++j) {
        const std::optional<Nanos> t = s.time_of(segment_global_index(j, i, workers));
        if (!t.has_value()) break;
        ++mine;
        // Before this arrival the worker had started exactly j of its own.
        const int64_t global_before = s.count_until(*t);
        ASSERT_EQ(segment_share(global_before, i, workers), j);
      }
      EXPECT_EQ(mine, segment_share(s.total(), i, workers));
      started += mine;
    }
    EXPECT_EQ(started, s.total()) << workers;
  }
}

}  // namespace
}  // namespace stampede
