#include "targets/local/hpa/proc_cpu.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace stampede::local {
namespace {

TEST(ProcStat, ParsesUtimeAndStimeAfterTheCommandName) {
  // Fields 14 and 15 (utime 250, stime 50 ticks); the command name holds spaces and ')'.
  const std::string line =
      "4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 1083 0 0 0 250 50 0 0 20 0 3 0 12345 "
      "1000 100 18446744073709551615\n";
  Result<double> cpu = parse_proc_stat_cpu_seconds(line, 100, "/proc/4242/stat");
  ASSERT_TRUE(cpu.ok()) << cpu.error().message();
  EXPECT_DOUBLE_EQ(cpu.value(), 3.0);
}

TEST(ProcStat, MalformedLinesAreErrorsNamingTheFile) {
  EXPECT_EQ(parse_proc_stat_cpu_seconds("garbage", 100, "/proc/1/stat").error().message(),
            "/proc/1/stat: no command name in the stat line");
  EXPECT_EQ(parse_proc_stat_cpu_seconds("1 (x) S 1 2 3", 100, "/proc/1/stat").error().message(),
            "/proc/1/stat: stat line too short");
  EXPECT_EQ(parse_proc_stat_cpu_seconds("1 (x) S 1 1 1 0 -1 0 0 0 0 0 x7 5 0", 100, "/proc/1/stat")
                .error()
                .message(),
            "/proc/1/stat: malformed CPU time 'x7'");
}

TEST(ProcStat, ReadsThisProcess) {
  // Burn about 50 ms of CPU here so the counter has moved past a few ticks.
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  volatile unsigned long x = 0;
  while (std::chrono::steady_clock::now() < until) x = x + 1;
  Result<double> cpu = read_process_cpu_seconds(getpid());
  ASSERT_TRUE(cpu.ok()) << cpu.error().message();
  EXPECT_GT(cpu.value(), 0.0);
}

TEST(ProcStat, AMissingProcessIsAnErrorNamingThePath) {
  // pid_max is at most 4194304, so this pid cannot exist.
  Result<double> cpu = read_process_cpu_seconds(99999999);
  ASSERT_FALSE(cpu.ok());
  EXPECT_EQ(cpu.error().message(), "/proc/99999999/stat: No such file or directory");
  EXPECT_FALSE(read_cpu_seconds({getpid(), 99999999}).ok());
}

}  // namespace
}  // namespace stampede::local
