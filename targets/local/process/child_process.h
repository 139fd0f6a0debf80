// Starting and ending pod processes. A child runs in its own process group (so signals reach
// everything it starts), with PR_SET_PDEATHSIG so it dies with the supervisor, stdin from
// /dev/null, stdout and stderr appended to its log file, default signal dispositions and mask,
// and no inherited descriptors beyond 0-2. Thread-safe functions; call spawn_process() from a
// thread that lives as long as the children should (the parent-death signal follows the thread).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace stampede::local {

struct SpawnSpec {
  std::string executable;         // a path (not looked up)
  std::vector<std::string> argv;  // argv[0] included
  std::vector<std::string> env;   // "KEY=value"
  std::string log_path;           // appended to; created 0644
  std::string working_dir;        // "" = the supervisor's
  std::string cgroup_procs;       // when set: the child joins this cgroup before exec
};

// Starts the process. Errors: the log cannot be opened, fork fails. A failing exec is not an
// error here: the child writes "exec <path>: <reason>" to its log and exits with 127.
Result<pid_t> spawn_process(const SpawnSpec& spec);

struct ExitStatus {
  int code = -1;                 // exit code, or -1 when killed by a signal
  int signal = 0;                // the signal that killed it, or 0
  std::string describe() const;  // "exit code 2", "killed by SIGKILL"
};

// Reaps `pid` if it has exited (never blocks).
std::optional<ExitStatus> try_reap(pid_t pid);
// Sends `sig` to the process group led by `pid` (and to `pid` itself, should it have left the
// group). False when nothing was there to signal.
bool signal_group(pid_t pid, int sig);

// The executable for `name`: an absolute path as is; a relative path with a slash next to
// `binary_dir` first; otherwise (or when not found there) the base name looked up on PATH.
// Errors: "executable 'x' not found next to /bin/dir or on PATH".
Result<std::string> resolve_executable(const std::string& name, const std::string& binary_dir);

// The last `lines` lines of a text file (empty when it cannot be read).
std::vector<std::string> tail_lines(const std::string& path, size_t lines);

// A free TCP port on 127.0.0.1 (bound and released). Errors name the reason.
Result<uint16_t> pick_free_port();

}  // namespace stampede::local
