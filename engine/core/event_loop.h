// A single-threaded epoll loop with nanosecond timers. Each worker thread owns one; nothing
// here is thread-safe except wake(), which any thread may call to interrupt a blocking
// run_once(). Waiting uses epoll_pwait2 (ns timeouts, no timer fd) where the kernel has it
// (Linux >= 5.11) and falls back to epoll_wait with millisecond rounding (up) elsewhere.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "engine/core/clock.h"

namespace stampede {

// Receives readiness events for a file descriptor registered with EventLoop::add_fd.
class FdHandler {
 public:
  virtual ~FdHandler() = default;
  virtual void on_fd_ready(int fd, uint32_t epoll_events) = 0;
};

// Receives timer expirations; `token` is whatever the timer was created with.
class TimerHandler {
 public:
  virtual ~TimerHandler() = default;
  virtual void on_timer(uint64_t token) = 0;
};

class EventLoop;

// One re-armable deadline owned by its user (e.g. libcurl's single timeout). set() replaces the
// previous deadline instead of piling up timers. Must not outlive its loop.
class Deadline {
 public:
  Deadline(EventLoop& loop, TimerHandler* handler, uint64_t token);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void set(Nanos at) { at_ = at; }
  void clear() { at_ = 0; }
  bool armed() const { return at_ != 0; }

 private:
  friend class EventLoop;
  EventLoop& loop_;
  TimerHandler* handler_;
  uint64_t token_;
  Nanos at_ = 0;  // 0: not armed
};

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // False when epoll/eventfd creation failed (then every call is a no-op).
  bool ok() const { return epoll_fd_ >= 0 && wake_fd_ >= 0; }

  // Registers, changes or removes interest in an fd; `handler` must outlive the registration.
  Status add_fd(int fd, uint32_t events, FdHandler* handler);
  Status modify_fd(int fd, uint32_t events, FdHandler* handler);
  void remove_fd(int fd);
  // Forgets an fd that was closed (the kernel already dropped it from epoll): no syscall.
  void forget_fd(int fd);

  // Calls handler->on_timer(token) once `deadline` (monotonic ns) has passed. Timers cannot be
  // cancelled: handlers ignore stale tokens (e.g. by embedding a generation counter). For a
  // deadline that moves often, use a Deadline instead.
  void add_timer(Nanos deadline, TimerHandler* handler, uint64_t token);

  // Waits for events until `deadline` at the latest and dispatches them. Returns the number of
  // callbacks run.
  int run_once(Nanos deadline);

  // Thread-safe: makes a blocked run_once() return promptly.
  void wake();

  size_t pending_timers() const { return timers_.size(); }

 private:
  friend class Deadline;
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
  int wait(void* events, int max_events, Nanos timeout);
  int run_due_timers(Nanos now);
  Nanos next_timer_deadline() const;

  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  bool have_pwait2_ = true;
  uint64_t next_seq_ = 0;
  std::vector<Timer> timers_;         // a heap ordered by Later
  std::vector<FdHandler*> handlers_;  // indexed by fd
  std::vector<Deadline*> deadlines_;  // registered Deadlines (a handful)
};

}  // namespace stampede
