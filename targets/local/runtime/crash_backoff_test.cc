#include "targets/local/runtime/crash_backoff.h"

#include <gtest/gtest.h>

namespace stampede::local {
namespace {

TEST(CrashBackoff, FirstRestartIsImmediateThenDoublesToTheCap) {
  CrashBackoff b(10, 300);
  double t = 1000;
  std::vector<double> delays;
  for (int i = 0; i < 9; ++i) {
    double d = b.on_exit(t);
    delays.push_back(d);
    t += d + 1;  // restarted after the delay, crashed a second later
  }
  EXPECT_EQ(delays, (std::vector<double>{0, 10, 20, 40, 80, 160, 300, 300, 300}));
}

TEST(CrashBackoff, ResetsAfterRunningForTwiceTheCap) {
  CrashBackoff b(1, 5);
  EXPECT_EQ(b.on_exit(0), 0);
  EXPECT_EQ(b.on_exit(1), 1);
  EXPECT_EQ(b.on_exit(3), 2);
  // Restarted at 5; ran for more than 2 x 5 s: back to an immediate restart.
  EXPECT_EQ(b.on_exit(16), 0);
  EXPECT_EQ(b.on_exit(17), 1);
}

}  // namespace
}  // namespace stampede::local
