#include "targets/local/process/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace stampede::local {
namespace {

std::optional<ExitStatus> wait_exit(pid_t pid,
                                    std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (auto s = try_reap(pid)) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  signal_group(pid, SIGKILL);
  return std::nullopt;
}

class ChildProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("child_process_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string log() const { return (dir_ / "pod.log").string(); }
  std::filesystem::path dir_;
};

TEST_F(ChildProcessTest, RunsWithItsEnvAndLogsOutput) {
  auto pid = spawn_process({"/bin/sh",
                            {"sh", "-c", "echo hello $WHO; echo err >&2; exit 3"},
                            {"WHO=pod", "PATH=/usr/bin:/bin"},
                            log(),
                            "",
                            ""});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  auto status = wait_exit(pid.value());
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->code, 3);
  EXPECT_EQ(status->describe(), "exit code 3");
  EXPECT_EQ(tail_lines(log(), 10), (std::vector<std::string>{"hello pod", "err"}));
}

TEST_F(ChildProcessTest, AMissingExecutableExits127WithTheReasonInTheLog) {
  auto pid = spawn_process({"/no/such/binary", {"x"}, {}, log(), "", ""});
  ASSERT_TRUE(pid.ok());
  auto status = wait_exit(pid.value());
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->code, 127);
  EXPECT_EQ(tail_lines(log(), 1), std::vector<std::string>{"exec /no/such/binary: no such file"});
}

TEST_F(ChildProcessTest, SignalGroupReachesGrandchildren) {
  std::string pidfile = (dir_ / "grandchild.pid").string();
  auto pid = spawn_process(
      {"/bin/sh", {"sh", "-c", "sleep 60 & echo $! > " + pidfile + "; wait"}, {}, log(), "", ""});
  ASSERT_TRUE(pid.ok());
  pid_t grandchild = 0;
  for (int i = 0; i < 500 && grandchild == 0; ++i) {
    std::ifstream in(pidfile);
    in >> grandchild;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(signal_group(pid.value(), SIGKILL));
  auto status = wait_exit(pid.value());
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->describe(), "killed by SIGKILL");
  // The grandchild is gone too (it is not our child: poll kill(0)).
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    gone = ::kill(grandchild, 0) != 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone);
}

TEST_F(ChildProcessTest, ResolvesNextToTheBinaryThenOnPath) {
  std::filesystem::create_directories(dir_ / "bin" / "sub");
  std::string exe = (dir_ / "bin" / "sub" / "tool").string();
  std::ofstream(exe) << "#!/bin/sh\n";
  std::filesystem::permissions(exe, std::filesystem::perms::owner_all);
  auto r = resolve_executable("sub/tool", (dir_ / "bin").string());
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value(), exe);
  auto sh = resolve_executable("sh", "");
  ASSERT_TRUE(sh.ok());
  auto missing = resolve_executable("no/such-tool-xyz", "/nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "executable 'no/such-tool-xyz' not found next to /nowhere or on PATH");
}

TEST(PickFreePort, GivesABindablePort) {
  auto p = pick_free_port();
  ASSERT_TRUE(p.ok());
  EXPECT_GT(p.value(), 0);
}

}  // namespace
}  // namespace stampede::local
