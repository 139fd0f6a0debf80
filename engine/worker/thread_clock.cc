#include "engine/worker/thread_clock.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>

namespace stampede {

ThreadClock::~ThreadClock() {
  if (schedstat_fd_ >= 0) ::close(schedstat_fd_);
}

void ThreadClock::open() {
  if (schedstat_fd_ >= 0) ::close(schedstat_fd_);
  schedstat_fd_ = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
}

Nanos ThreadClock::cpu() const {
  timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<Nanos>(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec;
}

Nanos ThreadClock::run_queue_wait() const {
  if (schedstat_fd_ < 0) return -1;
  // "<ns on cpu> <ns waiting on a run queue> <timeslices>\n"
  char buf[96];
  ssize_t n = ::pread(schedstat_fd_, buf, sizeof buf - 1, 0);
  if (n <= 0) return -1;
  buf[n] = '\0';
  char* end = nullptr;
  std::strtoll(buf, &end, 10);
  if (end == buf) return -1;
  char* wait_end = nullptr;
  long long wait = std::strtoll(end, &wait_end, 10);
  if (wait_end == end || wait < 0) return -1;
  return static_cast<Nanos>(wait);
}

}  // namespace stampede
