#include "engine/run/generator_check.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

TEST(GeneratorCheck, HealthyRunIsNotABottleneck) {
  std::vector<TimePoint> points(3);
  points[0].cpu_percent = 40;
  points[1].cpu_percent = 60;
  points[2].cpu_percent = 50;
  points[1].loop_lag_ms = 2;
  HdrHistogram lag;
  lag.record(100, 1000);  // 0.1 ms
  GeneratorStats g = summarize_generator(points, lag, 2, 90);
  EXPECT_FALSE(g.bottleneck);
  EXPECT_DOUBLE_EQ(g.cpu_busiest_avg_percent, 50);
  EXPECT_DOUBLE_EQ(g.cpu_busiest_max_percent, 60);
  EXPECT_DOUBLE_EQ(g.loop_lag_max_ms, 2);
  EXPECT_EQ(g.schedule_lag_samples, 1000);
  EXPECT_NEAR(g.schedule_lag_p99_ms, 0.1, 0.001);
  EXPECT_EQ(g.workers, 2);
}

TEST(GeneratorCheck, HotCpuOrLateSchedulesMarkTheRun) {
  std::vector<TimePoint> points(2);
  points[0].cpu_percent = 95;
  points[1].cpu_percent = 90;
  HdrHistogram none;
  GeneratorStats hot = summarize_generator(points, none, 1, 100);
  EXPECT_TRUE(hot.bottleneck);
  ASSERT_EQ(hot.reasons.size(), 1u);
  EXPECT_NE(hot.reasons[0].find("92%"), std::string::npos) << hot.reasons[0];

  HdrHistogram late;
  late.record(100, 95);
  late.record(5'000, 5);  // 5 ms for 5 % of iterations
  GeneratorStats lagging = summarize_generator({}, late, 1, 0);
  EXPECT_TRUE(lagging.bottleneck);
  EXPECT_NE(lagging.reasons.at(0).find("schedule lag"), std::string::npos);
  EXPECT_EQ(lagging.reasons.at(0).find("waiting for a CPU"), std::string::npos)
      << "no run-queue figures, no claim about them";
}

TEST(GeneratorCheck, RunQueueWaitIsAveragedAndNamedBesideALateSchedule) {
  std::vector<TimePoint> points(3);
  for (TimePoint& p : points) p.cpu_percent = 2;
  points[0].cpu_wait_percent = 4;
  points[1].cpu_wait_percent = 8;  // points[2]: unknown (-1), left out of the average
  HdrHistogram late;
  late.record(100, 90);
  late.record(3'000, 10);
  GeneratorStats g = summarize_generator(points, late, 2, 5);
  EXPECT_DOUBLE_EQ(g.cpu_wait_avg_percent, 6);
  EXPECT_DOUBLE_EQ(g.cpu_wait_max_percent, 8);
  ASSERT_EQ(g.reasons.size(), 1u);
  EXPECT_NE(g.reasons[0].find("busy 2.0% of a core; waiting for a CPU 6.0% of the time"),
            std::string::npos)
      << g.reasons[0];

  GeneratorStats unknown = summarize_generator(std::vector<TimePoint>(2), late, 1, 0);
  EXPECT_DOUBLE_EQ(unknown.cpu_wait_avg_percent, -1) << "the kernel did not say";
}

}  // namespace
}  // namespace stampede
