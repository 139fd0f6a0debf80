#include "tests/server/stall_clock.h"

#include <gtest/gtest.h>

namespace stampede::testserver {
namespace {

using std::chrono::milliseconds;

const StallSpec k400For200{milliseconds(400), milliseconds(200)};

TEST(TestserverStallClock, InsideWindowReleasesAtWindowEnd) {
  EXPECT_EQ(stall_release(milliseconds(0), k400For200), milliseconds(200));
  EXPECT_EQ(stall_release(milliseconds(50), k400For200), milliseconds(200));
  EXPECT_EQ(stall_release(milliseconds(199), k400For200), milliseconds(200));
  EXPECT_EQ(stall_release(milliseconds(400), k400For200), milliseconds(600));
  EXPECT_EQ(stall_release(milliseconds(1234), k400For200), milliseconds(1400));
}

TEST(TestserverStallClock, OutsideWindowIsNotHeld) {
  EXPECT_EQ(stall_hold(milliseconds(200), k400For200), milliseconds(0));
  EXPECT_EQ(stall_hold(milliseconds(250), k400For200), milliseconds(0));
  EXPECT_EQ(stall_hold(milliseconds(399), k400For200), milliseconds(0));
  EXPECT_EQ(stall_hold(milliseconds(1599), k400For200), milliseconds(0));
}

TEST(TestserverStallClock, HoldIsTimeToWindowEnd) {
  EXPECT_EQ(stall_hold(milliseconds(50), k400For200), milliseconds(150));
  EXPECT_EQ(stall_hold(milliseconds(450), k400For200), milliseconds(150));
  EXPECT_EQ(stall_hold(milliseconds(1399), k400For200), milliseconds(1));
  EXPECT_EQ(stall_hold(std::chrono::microseconds(199'999), k400For200),
            std::chrono::microseconds(1));
  const StallSpec every_second{milliseconds(1000), milliseconds(300)};
  EXPECT_EQ(stall_hold(milliseconds(5100), every_second), milliseconds(200));
}

TEST(TestserverStallClock, DegenerateSpecs) {
  const StallSpec never{milliseconds(400), milliseconds(0)};
  EXPECT_EQ(stall_hold(milliseconds(0), never), milliseconds(0));
  const StallSpec always{milliseconds(100), milliseconds(100)};
  EXPECT_EQ(stall_release(milliseconds(130), always), milliseconds(200));
  EXPECT_EQ(stall_release(milliseconds(200), always), milliseconds(300));
}

TEST(TestserverStallClock, ReleaseTimeIsRelativeToStart) {
  const auto start = StallClock::Clock::now();
  const StallClock clock(start);
  EXPECT_EQ(clock.release_time(start + milliseconds(450), k400For200), start + milliseconds(600));
  EXPECT_EQ(clock.release_time(start + milliseconds(300), k400For200), start + milliseconds(300));
}

}  // namespace
}  // namespace stampede::testserver
