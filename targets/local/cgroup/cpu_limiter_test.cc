// CPU limits on real cgroups: a CPU-burning child limited to 200m uses about 0.2 cores. Skipped,
// with the probe's reason, where this machine cannot enforce limits.
#include "targets/local/cgroup/cpu_limiter.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/read_file.h"
#include "targets/local/cgroup/cgroup_fs.h"
#include "targets/local/cgroup/mountinfo.h"
#include "targets/local/hpa/cpu_usage_meter.h"
#include "targets/local/hpa/testing/cpu_burner.h"

namespace stampede::local {
namespace {

using testing::CpuBurner;

double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool contains(const std::vector<pid_t>& v, pid_t p) {
  return std::find(v.begin(), v.end(), p) != v.end();
}

std::string read(const std::string& path) {
  Result<std::string> t = read_text_file(path);
  return t.ok() ? t.value() : "<" + t.error().message() + ">";
}

TEST(CfsQuota, KubeletArithmetic) {
  EXPECT_EQ(cfs_quota_us(200), 20000);
  EXPECT_EQ(cfs_quota_us(1000), 100000);
  EXPECT_EQ(cfs_quota_us(2500), 250000);
  EXPECT_EQ(cfs_quota_us(5), 1000);  // the 1 ms floor
}

TEST(CpuLimiterOff, SaysWhy) {
  CpuLimitSupport off;
  off.why_not =
      "cgroup v2 has no cpu controller and /x is not writable: CPU limits are not "
      "enforced";
  CpuLimiter limiter(off, "test-");
  EXPECT_FALSE(limiter.enforced());
  Result<std::unique_ptr<CpuLimit>> r = limiter.limit("web-0", 200, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), off.why_not);
  Result<StaleCgroups> stale = limiter.remove_stale();
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale.value().removed, 0);
}

class CpuLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    support_ = probe_cpu_limits();
    if (support_.mode == CpuLimitMode::kOff) GTEST_SKIP() << support_.describe();
    prefix_ = "test-" + std::to_string(getpid()) + "-";
  }
  void TearDown() override {
    if (support_.mode != CpuLimitMode::kOff) (void)CpuLimiter(support_, prefix_).remove_stale();
  }
  CpuLimiter limiter() const { return CpuLimiter(support_, prefix_); }

  CpuLimitSupport support_;
  std::string prefix_;
};

TEST_F(CpuLimiterTest, ABurningProcessLimitedTo200mUsesAboutAFifthOfACore) {
  Result<std::unique_ptr<CpuBurner>> burner = CpuBurner::start(1, 20);
  ASSERT_TRUE(burner.ok()) << burner.error().message();
  const pid_t pid = burner.value()->pid();
  Result<std::unique_ptr<CpuLimit>> limit = limiter().limit("burner", 200, pid);
  ASSERT_TRUE(limit.ok()) << limit.error().message();
  Result<std::vector<pid_t>> inside = limit.value()->pids();
  ASSERT_TRUE(inside.ok()) << inside.error().message();
  EXPECT_TRUE(contains(inside.value(), pid));

  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CpuUsageMeter meter;
  for (int i = 0; i <= 8; ++i) {
    ASSERT_TRUE(meter.sample(seconds_now(), {pid}).ok());
    if (i < 8) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  std::optional<CpuWindow> w = meter.average(2.0);
  ASSERT_TRUE(w.has_value());
  RecordProperty("limited_millicores", std::to_string(w->millicores));
  // The quota caps it at 200m (plus a tick of measuring error); a loaded machine may give less.
  EXPECT_GT(w->millicores, 50) << "limited to 200m";
  EXPECT_LT(w->millicores, 300) << "limited to 200m";

  // Released: the group is gone, the process lives on in the runtime's own group.
  const std::string dir = limit.value()->path();
  ASSERT_TRUE(limit.value()->release().ok());
  EXPECT_FALSE(cgroupfs::exists(dir));
  EXPECT_EQ(::kill(pid, 0), 0);
}

TEST_F(CpuLimiterTest, WritesTheQuotaFiles) {
  Result<std::unique_ptr<CpuLimit>> limit = limiter().limit("files", 250);
  ASSERT_TRUE(limit.ok()) << limit.error().message();
  const std::string dir = limit.value()->path();
  EXPECT_EQ(dir, support_.parent + "/" + prefix_ + "files");
  if (support_.mode == CpuLimitMode::kCgroupV2) {
    EXPECT_EQ(read(dir + "/cpu.max"), "25000 100000\n");
  } else {
    EXPECT_EQ(read(dir + "/cpu.cfs_quota_us"), "25000\n");
    EXPECT_EQ(read(dir + "/cpu.cfs_period_us"), "100000\n");
  }
  ASSERT_TRUE(limit.value()->set_millicores(5).ok());
  EXPECT_EQ(limit.value()->millicores(), 5);
  if (support_.mode == CpuLimitMode::kCgroupV2) {
    EXPECT_EQ(read(dir + "/cpu.max"), "1000 100000\n");
  } else {
    EXPECT_EQ(read(dir + "/cpu.cfs_quota_us"), "1000\n");
  }
  EXPECT_TRUE(cgroupfs::exists(limit.value()->procs_file()));
  limit.value().reset();  // RAII: the destructor removes the group
  EXPECT_FALSE(cgroupfs::exists(dir));
}

TEST_F(CpuLimiterTest, DestructorMovesAStillRunningProcessOut) {
  Result<std::unique_ptr<CpuBurner>> sleeper = CpuBurner::start(0, 20);
  ASSERT_TRUE(sleeper.ok());
  const pid_t pid = sleeper.value()->pid();
  std::string dir;
  {
    Result<std::unique_ptr<CpuLimit>> limit = limiter().limit("sleeper", 100, pid);
    ASSERT_TRUE(limit.ok()) << limit.error().message();
    dir = limit.value()->path();
  }
  EXPECT_FALSE(cgroupfs::exists(dir));
  Result<std::vector<pid_t>> home = cgroupfs::read_pids(support_.release_to);
  ASSERT_TRUE(home.ok()) << home.error().message();
  EXPECT_TRUE(contains(home.value(), pid));
}

TEST_F(CpuLimiterTest, AddMovesARestartedProcessIn) {
  Result<std::unique_ptr<CpuLimit>> limit = limiter().limit("restart", 300);
  ASSERT_TRUE(limit.ok()) << limit.error().message();
  Result<std::unique_ptr<CpuBurner>> next = CpuBurner::start(0, 20);
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(limit.value()->add(next.value()->pid()).ok());
  EXPECT_TRUE(contains(limit.value()->pids().value(), next.value()->pid()));
  Status gone = limit.value()->add(99999999);
  ASSERT_FALSE(gone.ok());
  EXPECT_NE(gone.error().message().find("cgroup.procs"), std::string::npos)
      << gone.error().message();
}

TEST_F(CpuLimiterTest, RejectsBadNamesAndQuotas) {
  Result<std::unique_ptr<CpuLimit>> bad = limiter().limit("../escape", 100);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "cgroup name '" + prefix_ + "../escape' must be letters, digits, '-', '_' or '.'");
  Result<std::unique_ptr<CpuLimit>> zero = limiter().limit("zero", 0);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().message(), "CPU limit must be positive (got 0m)");
  EXPECT_FALSE(cgroupfs::exists(support_.parent + "/" + prefix_ + "zero"));
}

TEST_F(CpuLimiterTest, RemoveStaleCleansUpAfterACrash) {
  // A group a crashed runtime left behind: an empty cgroup with our prefix.
  const std::string crashed = support_.parent + "/" + prefix_ + "crashed";
  ASSERT_TRUE(cgroupfs::make_dir(crashed).ok());
  // A group still in use.
  Result<std::unique_ptr<CpuBurner>> sleeper = CpuBurner::start(0, 20);
  ASSERT_TRUE(sleeper.ok());
  Result<std::unique_ptr<CpuLimit>> busy = limiter().limit("busy", 100, sleeper.value()->pid());
  ASSERT_TRUE(busy.ok()) << busy.error().message();
  // Another runtime's group is not ours to touch.
  const std::string other = support_.parent + "/other-" + std::to_string(getpid());
  ASSERT_TRUE(cgroupfs::make_dir(other).ok());

  Result<StaleCgroups> stale = limiter().remove_stale();
  ASSERT_TRUE(stale.ok()) << stale.error().message();
  EXPECT_EQ(stale.value().removed, 1);
  EXPECT_EQ(stale.value().in_use, std::vector<std::string>{prefix_ + "busy"});
  EXPECT_FALSE(cgroupfs::exists(crashed));
  EXPECT_TRUE(cgroupfs::exists(busy.value()->path()));
  EXPECT_TRUE(cgroupfs::exists(other));
  EXPECT_TRUE(cgroupfs::remove_dir(other).ok());

  EXPECT_FALSE(CpuLimiter(support_, "").remove_stale().ok());
}

}  // namespace
}  // namespace stampede::local
