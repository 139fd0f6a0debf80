// Running a helper program to completion (the exec credential plugin): no shell, stdin from
// /dev/null, stdout and stderr captured through close-on-exec pipes, no other descriptors
// inherited, its own process group (killed whole on timeout), a deadline. Thread-safe: call it
// from any thread; each call owns its child.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace stampede::kube {

struct SubprocessSpec {
  std::string path;               // the executable (not looked up: see find_executable)
  std::vector<std::string> argv;  // argv[0] included
  std::vector<std::string> env;   // "NAME=value", the child's whole environment
  std::chrono::milliseconds timeout{60000};
  size_t max_output = 4 << 20;  // per stream; more is read and dropped
};

struct SubprocessResult {
  int exit_code = -1;   // -1 when killed by a signal
  int term_signal = 0;  // the signal that ended it, or 0
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs the program and waits for it to exit (at most `timeout`, then SIGKILLs its group).
// Errors: the program cannot be started ("spawn /x/y: No such file or directory"), pipes fail.
Result<SubprocessResult> run_subprocess(const SubprocessSpec& spec);

// Where `name` runs from: a name with a '/' as it is (when executable), a bare name looked up on
// the colon-separated `path_env`. nullopt when not found.
std::optional<std::string> find_executable(const std::string& name, const std::string& path_env);

}  // namespace stampede::kube
