// The exec probe: the command runs without a shell (argv[0] looked up on PATH), with the pod's
// environment, in its own process group so a timeout kills everything it started.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "targets/local/probe/probe_runner.h"
#include "targets/local/probe/socket_util.h"

namespace stampede::local {

ProbeOutcome run_exec_probe(const ProbeSpec& spec, const ProbeTarget& target) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    return {false, std::string("pipe: ") + std::strerror(errno)};
  Fd read_end(pipe_fds[0]);
  Fd write_end(pipe_fds[1]);
  ::fcntl(read_end.get(), F_SETFL, ::fcntl(read_end.get(), F_GETFL) | O_NONBLOCK);

  std::vector<char*> argv;
  for (const std::string& a : spec.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : target.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 2);
  // Nothing else of the supervisor's (Service listeners, API sockets) leaks into the probe.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGCHLD, SIGHUP}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  write_end = Fd();
  if (rc != 0) return {false, "exec " + spec.command[0] + ": " + std::strerror(rc)};

  Deadline deadline = std::chrono::steady_clock::now() + std::chrono::seconds(spec.timeout_seconds);
  std::string output;
  bool timed_out = false;
  for (;;) {  // until EOF on the pipe (every holder of the write end gone) or the deadline
    auto n = read_some_before(read_end.get(), output, deadline);
    if (!n.ok()) {
      timed_out = true;
      break;
    }
    if (n.value() == 0) break;
    if (output.size() > 10240) output.resize(10240);
  }
  if (timed_out) ::kill(-pid, SIGKILL);
  int status = 0;
  // After EOF the process may still be exiting; the wait is short. After a timeout it was killed.
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return {false, "command timed out after " + std::to_string(spec.timeout_seconds) + "s"};
  }
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {true, output};
  std::string why = WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                      : "killed by signal " + std::to_string(WTERMSIG(status));
  return {false, "command failed: " + why + (output.empty() ? "" : ": " + output)};
}

}  // namespace stampede::local
