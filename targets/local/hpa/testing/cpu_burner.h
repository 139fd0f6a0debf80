// CpuBurner: a child process (stampede_cpu_burner) that keeps `threads` threads busy, or only
// sleeps, for a bounded time. The destructor kills and reaps it, also when a test fails. Test
// support for the CPU meter and the CPU limiter; not thread-safe.
#pragma once

#include <sys/types.h>

#include <memory>

#include "common/result.h"

namespace stampede::local::testing {

class CpuBurner {
 public:
  // Starts the child. `seconds` bounds its life (at most 120). Errors: spawn failure.
  static Result<std::unique_ptr<CpuBurner>> start(int threads, double seconds);
  ~CpuBurner();
  CpuBurner(const CpuBurner&) = delete;
  CpuBurner& operator=(const CpuBurner&) = delete;

  pid_t pid() const { return pid_; }

 private:
  explicit CpuBurner(pid_t pid) : pid_(pid) {}
  pid_t pid_;
};

}  // namespace stampede::local::testing
