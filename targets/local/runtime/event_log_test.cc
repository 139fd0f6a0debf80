#include "targets/local/runtime/event_log.h"

#include <gtest/gtest.h>

#include "targets/local/runtime/clock.h"

namespace stampede::local {
namespace {

TEST(EventLog, SequencesAndMonotonicTimes) {
  EventLog log;
  int64_t before = mono_now_ns();
  EXPECT_EQ(log.add("pod-created", "cart", "cart-x-1", ""), 1u);
  EXPECT_EQ(log.add("pod-ready", "cart", "cart-x-1", ""), 2u);
  auto all = log.since(0);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_GE(all[0].mono_ns, before);
  EXPECT_LE(all[0].mono_ns, all[1].mono_ns);
  EXPECT_GT(all[0].unix_ms, 1'600'000'000'000);
  EXPECT_EQ(log.since(2).size(), 1u);
  EXPECT_EQ(log.since(3).size(), 0u);
  EXPECT_EQ(log.next_seq(), 3u);
}

TEST(EventLog, KeepsTheNewestCapacityEvents) {
  EventLog log(3);
  for (int i = 0; i < 5; ++i) log.add("scaled", "d", "", std::to_string(i));
  auto all = log.since(0);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].seq, 3u);
  EXPECT_EQ(log.since(4, 1).size(), 1u);
  EXPECT_EQ(log.since(4, 1)[0].detail, "3");
}

}  // namespace
}  // namespace stampede::local
