#include "targets/local/hpa/testing/cpu_burner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace stampede::local::testing {

Result<std::unique_ptr<CpuBurner>> CpuBurner::start(int threads, double seconds) {
  std::vector<std::string> args = {STAMPEDE_CPU_BURNER, std::to_string(threads),
                                   std::to_string(seconds)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, STAMPEDE_CPU_BURNER, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return Error(std::string("spawning ") + STAMPEDE_CPU_BURNER + ": " + std::strerror(rc));
  return std::unique_ptr<CpuBurner>(new CpuBurner(pid));
}

CpuBurner::~CpuBurner() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) == -1 && errno == EINTR) {
  }
}

}  // namespace stampede::local::testing
