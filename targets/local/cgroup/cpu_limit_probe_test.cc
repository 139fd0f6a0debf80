// The probe on this machine, and its refusals on fake cgroup trees (plain directories and a
// hand-written mount table: FakeCgroupTree) for the setups this machine does not have.
#include "targets/local/cgroup/cpu_limit_probe.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "targets/local/cgroup/cgroup_fs.h"

namespace stampede::local {
namespace {

namespace fs = std::filesystem;

// A temporary directory standing in for /sys/fs/cgroup, with its own mountinfo. A fake: the
// directories are not cgroups, so the kernel creates no control files in them.
class FakeCgroupTree {
 public:
  FakeCgroupTree() {
    root_ = fs::temp_directory_path() /
            ("stampede-fake-cgroup-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(root_);
  }
  ~FakeCgroupTree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string path(const std::string& rel) const { return (root_ / rel).string(); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  // A mountinfo line for a mount of `type` at `rel` with `options`.
  std::string mount_line(const std::string& rel, const std::string& type,
                         const std::string& options) const {
    return "40 31 0:99 / " + path(rel) + " rw,relatime - " + type + " " + type + " " + options +
           "\n";
  }
  CgroupProbeOptions options() const {
    CgroupProbeOptions o;
    o.mountinfo = path("mountinfo");
    o.self_cgroup = path("self_cgroup");
    o.group = "stampede";
    return o;
  }

 private:
  static inline int counter_ = 0;
  fs::path root_;
};

TEST(CpuLimitProbe, NoCgroupHierarchyAtAll) {
  FakeCgroupTree t;
  t.write("mountinfo", "22 1 0:21 / /proc rw - proc proc rw\n");
  const CpuLimitSupport s = probe_cpu_limits(t.options());
  EXPECT_EQ(s.mode, CpuLimitMode::kOff);
  EXPECT_EQ(s.describe(),
            "off: no cgroup v2 hierarchy is mounted and no cgroup v1 cpu hierarchy is mounted: "
            "CPU limits are not enforced");
}

TEST(CpuLimitProbe, V2WithoutCpuAndV1NotWritable) {
  FakeCgroupTree t;
  t.write("unified/cgroup.controllers", "memory pids\n");
  // The v1 mount point does not exist, so nothing can be created under it.
  t.write("mountinfo", t.mount_line("unified", "cgroup2", "rw") +
                           t.mount_line("missing/cpu", "cgroup", "rw,cpu"));
  const CpuLimitSupport s = probe_cpu_limits(t.options());
  EXPECT_EQ(s.mode, CpuLimitMode::kOff);
  EXPECT_EQ(s.why_not, "cgroup v2 at " + t.path("unified") + " has no cpu controller and " +
                           t.path("missing/cpu") +
                           " is not writable (No such file or directory): CPU limits are not "
                           "enforced");
}

TEST(CpuLimitProbe, ADirectoryThatIsNotACpuHierarchy) {
  FakeCgroupTree t;
  t.write("cpu/.keep", "");
  t.write("mountinfo", t.mount_line("cpu", "cgroup", "rw,cpu"));
  const CpuLimitSupport s = probe_cpu_limits(t.options());
  EXPECT_EQ(s.mode, CpuLimitMode::kOff);
  EXPECT_EQ(s.why_not, "no cgroup v2 hierarchy is mounted and " + t.path("cpu") +
                           " is not a cgroup cpu hierarchy (no cpu.cfs_quota_us in " +
                           t.path("cpu/stampede") + "): CPU limits are not enforced");
}

TEST(CpuLimitProbe, CpuacctAloneIsNotTheCpuController) {
  FakeCgroupTree t;
  t.write("mountinfo", t.mount_line("cpuacct", "cgroup", "rw,cpuacct") +
                           t.mount_line("cpuset", "cgroup", "rw,cpuset"));
  EXPECT_EQ(probe_cpu_limits(t.options()).why_not,
            "no cgroup v2 hierarchy is mounted and no cgroup v1 cpu hierarchy is mounted: CPU "
            "limits are not enforced");
}

TEST(CpuLimitProbe, UnreadableMountTable) {
  CgroupProbeOptions o;
  o.mountinfo = "/nonexistent/mountinfo";
  EXPECT_EQ(probe_cpu_limits(o).describe(),
            "off: cannot read the mount table (/nonexistent/mountinfo: No such file or "
            "directory): CPU limits are not enforced");
}

// Whatever this machine allows, the probe says so in one of the three documented forms, and a
// usable answer points at real cgroup directories.
TEST(CpuLimitProbe, ThisMachine) {
  const CpuLimitSupport s = probe_cpu_limits();
  const std::string d = s.describe();
  RecordProperty("cpu_limits", d);
  switch (s.mode) {
    case CpuLimitMode::kCgroupV2:
      EXPECT_EQ(d, "cgroup-v2");
      EXPECT_TRUE(cgroupfs::exists(s.parent + "/cgroup.subtree_control")) << s.parent;
      break;
    case CpuLimitMode::kCgroupV1:
      EXPECT_EQ(d, "cgroup-v1");
      EXPECT_TRUE(cgroupfs::exists(s.parent + "/cpu.cfs_quota_us")) << s.parent;
      break;
    case CpuLimitMode::kOff:
      EXPECT_EQ(d.rfind("off: ", 0), 0u) << d;
      EXPECT_NE(d.find(": CPU limits are not enforced"), std::string::npos) << d;
      break;
  }
  if (s.mode != CpuLimitMode::kOff) {
    EXPECT_TRUE(cgroupfs::exists(s.release_to)) << s.release_to;
    // The probe's throwaway child is gone.
    EXPECT_FALSE(cgroupfs::exists(s.parent + "/probe-" + std::to_string(getpid())));
  }
}

}  // namespace
}  // namespace stampede::local
