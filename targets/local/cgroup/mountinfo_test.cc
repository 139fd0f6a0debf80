#include "targets/local/cgroup/mountinfo.h"

#include <gtest/gtest.h>

#include "common/read_file.h"

namespace stampede::local {
namespace {

TEST(Mountinfo, ParsesCgroupMounts) {
  const std::string text =
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
      "33 31 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:7 - cgroup cgroup "
      "rw,cpu,cpuacct\n"
      "41 31 0:38 /kubepods /sys/fs/cgroup/my\\040dir rw,relatime - cgroup2 cgroup2 rw\n";
  Result<std::vector<MountEntry>> m = parse_mountinfo(text, "mountinfo");
  ASSERT_TRUE(m.ok()) << m.error().message();
  ASSERT_EQ(m.value().size(), 4u);
  EXPECT_EQ(m.value()[1].mount_point, "/sys/fs/cgroup/cpu");
  EXPECT_EQ(m.value()[1].fs_type, "cgroup");
  EXPECT_EQ(m.value()[1].super_options, (std::vector<std::string>{"rw", "cpu"}));
  EXPECT_EQ(m.value()[2].super_options, (std::vector<std::string>{"rw", "cpu", "cpuacct"}));
  EXPECT_EQ(m.value()[3].fs_type, "cgroup2");
  EXPECT_EQ(m.value()[3].root, "/kubepods");
  EXPECT_EQ(m.value()[3].mount_point, "/sys/fs/cgroup/my dir");
}

TEST(Mountinfo, MalformedLineNamesTheLine) {
  EXPECT_EQ(parse_mountinfo("31 23 0:28 / /x rw\n", "/proc/self/mountinfo").error().message(),
            "/proc/self/mountinfo:1: malformed mountinfo line");
}

TEST(ProcCgroup, ParsesV1AndV2Lines) {
  Result<std::vector<CgroupMembership>> c =
      parse_proc_cgroup("4:memory:/a/b\n2:cpu,cpuacct:/\n0::/user.slice\n", "cgroup");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c.value().size(), 3u);
  EXPECT_EQ(c.value()[1].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
  EXPECT_EQ(c.value()[1].path, "/");
  EXPECT_TRUE(c.value()[2].controllers.empty());
  EXPECT_EQ(c.value()[2].path, "/user.slice");
  EXPECT_EQ(parse_proc_cgroup("garbage\n", "/proc/self/cgroup").error().message(),
            "/proc/self/cgroup:1: malformed cgroup line");
}

TEST(ReadTextFile, MissingFileNamesThePath) {
  EXPECT_EQ(read_text_file("/nonexistent/stampede").error().message(),
            "/nonexistent/stampede: No such file or directory");
}

}  // namespace
}  // namespace stampede::local
