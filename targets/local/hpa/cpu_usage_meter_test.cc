// CpuUsageMeter: the window arithmetic on recorded samples, then real child processes — one
// burning a worker thread (so only a non-main thread uses CPU), one sleeping. Bounds are loose:
// the machine is shared.
#include "targets/local/hpa/cpu_usage_meter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "targets/local/hpa/testing/cpu_burner.h"

namespace stampede::local {
namespace {

using testing::CpuBurner;

double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

TEST(CpuUsageMeter, AveragesOverAtLeastTheWindow) {
  CpuUsageMeter m;
  EXPECT_FALSE(m.average(10).has_value());
  ASSERT_TRUE(m.record(100, 1.0, {7}).ok());
  EXPECT_FALSE(m.average(10).has_value());  // one sample is not a rate
  ASSERT_TRUE(m.record(105, 1.5, {7}).ok());
  ASSERT_TRUE(m.record(110, 3.0, {7}).ok());
  ASSERT_TRUE(m.record(115, 3.5, {7}).ok());
  // 10 s window ending at 115: from the sample at 105.
  std::optional<CpuWindow> w = m.average(10);
  ASSERT_TRUE(w.has_value());
  EXPECT_DOUBLE_EQ(w->start, 105);
  EXPECT_DOUBLE_EQ(w->end, 115);
  EXPECT_DOUBLE_EQ(w->millicores, 200);  // 2 s of CPU in 10 s
  // 7 s: the newest sample at least 7 s old is again 105 (a window of 10 s).
  EXPECT_DOUBLE_EQ(m.average(7)->start, 105);
  // 60 s: longer than the history, so from the oldest sample.
  w = m.average(60);
  EXPECT_DOUBLE_EQ(w->start, 100);
  EXPECT_DOUBLE_EQ(w->millicores, 2.5 / 15 * 1000);
}

TEST(CpuUsageMeter, NewProcessesRestartTheHistory) {
  CpuUsageMeter m;
  ASSERT_TRUE(m.record(0, 5.0, {7}).ok());
  ASSERT_TRUE(m.record(5, 6.0, {7}).ok());
  ASSERT_TRUE(m.record(10, 0.1, {8}).ok());  // restarted: a new pid
  EXPECT_EQ(m.samples(), 1u);
  EXPECT_FALSE(m.average(5).has_value());
  ASSERT_TRUE(m.record(15, 0.6, {8}).ok());
  EXPECT_DOUBLE_EQ(m.average(5)->millicores, 100);
  EXPECT_DOUBLE_EQ(m.average(5)->start, 10);
  // Same pid, counter went backwards (pid reused): also a fresh start.
  ASSERT_TRUE(m.record(20, 0.2, {8}).ok());
  EXPECT_EQ(m.samples(), 1u);
}

TEST(CpuUsageMeter, RejectsTimeGoingBackwardsAndNoPids) {
  CpuUsageMeter m;
  ASSERT_TRUE(m.record(10, 1, {1}).ok());
  EXPECT_FALSE(m.record(9, 2, {1}).ok());
  EXPECT_EQ(m.record(11, 2, {}).error().message(), "no processes to measure");
  EXPECT_EQ(m.sample(11, {}).error().message(), "no processes to measure");
}

TEST(CpuUsageMeter, CapacityBoundsTheHistory) {
  CpuUsageMeter m(4);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(m.record(i, i * 0.5, {3}).ok());
  EXPECT_EQ(m.samples(), 4u);
  EXPECT_DOUBLE_EQ(m.average(100)->start, 6);
  EXPECT_DOUBLE_EQ(m.average(100)->millicores, 500);
}

// Samples the child every 250 ms for about 2 s and returns the average over the last 2 s.
std::optional<CpuWindow> measure(pid_t pid) {
  CpuUsageMeter m;
  for (int i = 0; i <= 8; ++i) {
    if (!m.sample(seconds_now(), {pid}).ok()) return std::nullopt;
    if (i < 8) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return m.average(2.0);
}

TEST(CpuUsageMeterProcess, ABusyWorkerThreadCounts) {
  Result<std::unique_ptr<CpuBurner>> burner = CpuBurner::start(1, 20);
  ASSERT_TRUE(burner.ok()) << burner.error().message();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let it start its thread
  std::optional<CpuWindow> w = measure(burner.value()->pid());
  ASSERT_TRUE(w.has_value());
  EXPECT_GE(w->end - w->start, 1.9);
  RecordProperty("busy_millicores", std::to_string(w->millicores));
  // One busy thread is up to 1000m; on a busy shared machine it may get much less, but it is
  // far above the sleeping process's ~0 — which is what a meter blind to threads would show.
  EXPECT_GT(w->millicores, 100);
  EXPECT_LT(w->millicores, 1300);
}

TEST(CpuUsageMeterProcess, ASleepingProcessUsesAlmostNothing) {
  Result<std::unique_ptr<CpuBurner>> sleeper = CpuBurner::start(0, 20);
  ASSERT_TRUE(sleeper.ok()) << sleeper.error().message();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::optional<CpuWindow> w = measure(sleeper.value()->pid());
  ASSERT_TRUE(w.has_value());
  RecordProperty("sleeping_millicores", std::to_string(w->millicores));
  EXPECT_LT(w->millicores, 50);
}

TEST(CpuUsageMeterProcess, AGoneProcessIsAnError) {
  pid_t pid;
  {
    Result<std::unique_ptr<CpuBurner>> b = CpuBurner::start(0, 20);
    ASSERT_TRUE(b.ok());
    pid = b.value()->pid();
  }  // killed and reaped
  CpuUsageMeter m;
  Status s = m.sample(seconds_now(), {pid});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("/stat: No such file or directory"), std::string::npos)
      << s.error().message();
  EXPECT_EQ(m.samples(), 0u);
}

}  // namespace
}  // namespace stampede::local
