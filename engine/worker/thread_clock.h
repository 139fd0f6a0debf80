// ThreadClock: the calling thread's CPU time and its time spent waiting for a CPU (runnable but
// not running: the kernel's run-queue delay, /proc/thread-self/schedstat). The second tells a
// generator that was busy from one that other processes kept off the cores. Open it on the
// thread it measures; one owner; no allocation after open().
#pragma once

#include "engine/core/clock.h"

namespace stampede {

class ThreadClock {
 public:
  ThreadClock() = default;
  ~ThreadClock();
  ThreadClock(const ThreadClock&) = delete;
  ThreadClock& operator=(const ThreadClock&) = delete;

  // Binds to the calling thread. Without schedstat (an old or stripped kernel) run_queue_wait()
  // answers -1.
  void open();
  // CPU time the thread has used (ns).
  Nanos cpu() const;
  // Total time the thread has waited on a run queue since it started (ns), or -1 if unknown.
  Nanos run_queue_wait() const;

 private:
  int schedstat_fd_ = -1;
};

}  // namespace stampede
