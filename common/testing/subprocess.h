// Test-only: starting a child process with its output in files, and waiting for it with a
// deadline. Header-only; call from one test thread.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace stampede {

// posix_spawn of args[0] (a path, not searched in $PATH) with stdin from /dev/null and stdout /
// stderr written to the given files ("" = /dev/null). `env` null: the test's own environment.
// Returns the child's pid, or -1 when it could not be started.
inline pid_t spawn_process(const std::vector<std::string>& args, const std::string& out_path,
                           const std::string& err_path,
                           const std::vector<std::string>* env = nullptr) {
  if (args.empty()) return -1;
  std::vector<std::string> a = args, e = env != nullptr ? *env : std::vector<std::string>{};
  std::vector<char*> argv, envp;
  for (auto& s : a) argv.push_back(s.data());
  for (auto& s : e) envp.push_back(s.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO,
                                   out_path.empty() ? "/dev/null" : out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO,
                                   err_path.empty() ? "/dev/null" : err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(),
                  env != nullptr ? envp.data() : environ) != 0) {
    pid = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// waitpid with a deadline, polling every 5 ms: the wait status, or -1 while the child still runs.
inline int wait_until(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace stampede
