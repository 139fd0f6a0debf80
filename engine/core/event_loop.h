// A single-threaded epoll loop with nanosecond timers (one timerfd armed to the earliest
// deadline of a binary heap). Each worker thread owns one; nothing here is thread-safe except
// wake(), which any thread may call to interrupt a blocking run_once().
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/result.h"

namespace stampede {

// Receives readiness events for a file descriptor registered with EventLoop::add_fd.
class FdHandler {
 public:
  virtual ~FdHandler() = default;
  virtual void on_fd_ready(int fd, uint32_t epoll_events) = 0;
};

// Receives timer expirations; `token` is whatever was passed to EventLoop::add_timer.
class TimerHandler {
 public:
  virtual ~TimerHandler() = default;
  virtual void on_timer(uint64_t token) = 0;
};

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // False when epoll/timerfd/eventfd creation failed (then every call is a no-op).
  bool ok() const { return epoll_fd_ >= 0 && timer_fd_ >= 0 && wake_fd_ >= 0; }

  // Registers, changes or removes interest in an fd; `handler` must outlive the registration.
  Status add_fd(int fd, uint32_t events, FdHandler* handler);
  Status modify_fd(int fd, uint32_t events, FdHandler* handler);
  void remove_fd(int fd);

  // Calls handler->on_timer(token) once `deadline` (monotonic ns) has passed. Timers cannot be
  // cancelled: handlers ignore stale tokens (e.g. by embedding a generation counter).
  void add_timer(Nanos deadline, TimerHandler* handler, uint64_t token);

  // Waits for events until `deadline` at the latest and dispatches them. Returns the number of
  // callbacks run.
  int run_once(Nanos deadline);

  // Thread-safe: makes a blocked run_once() return promptly.
  void wake();

  size_t pending_timers() const { return timers_.size(); }

 private:
  struct Timer {
    Nanos deadline;
    uint64_t seq;
    TimerHandler* handler;
    uint64_t token;
  };
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const {
      return a.deadline != b.deadline ? a.deadline > b.deadline : a.seq > b.seq;
    }
  };
  void arm_timerfd(Nanos deadline);
  int run_due_timers();

  int epoll_fd_ = -1;
  int timer_fd_ = -1;
  int wake_fd_ = -1;
  Nanos armed_for_ = 0;
  uint64_t next_seq_ = 0;
  std::vector<Timer> timers_;             // a heap ordered by Later
  std::vector<FdHandler*> handlers_;      // indexed by fd
};

}  // namespace stampede
