#include "engine/core/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace stampede {
namespace {

Error errno_error(const char* what) { return Error(std::string(what) + ": " + std::strerror(errno)); }

}  // namespace

EventLoop::EventLoop() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (!ok()) return;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = timer_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, timer_fd_, &ev);
  ev.data.fd = wake_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

EventLoop::~EventLoop() {
  for (int fd : {epoll_fd_, timer_fd_, wake_fd_}) {
    if (fd >= 0) close(fd);
  }
}

Status EventLoop::add_fd(int fd, uint32_t events, FdHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) return errno_error("epoll_ctl(ADD)");
  if (static_cast<size_t>(fd) >= handlers_.size()) handlers_.resize(fd + 1, nullptr);
  handlers_[fd] = handler;
  return Status::Ok();
}

Status EventLoop::modify_fd(int fd, uint32_t events, FdHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) != 0) return errno_error("epoll_ctl(MOD)");
  handlers_[fd] = handler;
  return Status::Ok();
}

void EventLoop::remove_fd(int fd) {
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  if (static_cast<size_t>(fd) < handlers_.size()) handlers_[fd] = nullptr;
}

void EventLoop::add_timer(Nanos deadline, TimerHandler* handler, uint64_t token) {
  timers_.push_back(Timer{deadline, next_seq_++, handler, token});
  std::push_heap(timers_.begin(), timers_.end(), Later());
  if (armed_for_ == 0 || deadline < armed_for_) arm_timerfd(deadline);
}

void EventLoop::arm_timerfd(Nanos deadline) {
  itimerspec spec{};
  // A zero it_value disarms the timer, so an already-due deadline is armed 1 ns after 0.
  Nanos at = std::max<Nanos>(deadline, 1);
  spec.it_value.tv_sec = at / kNanosPerSecond;
  spec.it_value.tv_nsec = at % kNanosPerSecond;
  timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
  armed_for_ = deadline;
}

int EventLoop::run_due_timers() {
  int ran = 0;
  Nanos now = monotonic_now();
  // Timers added by callbacks that are already due run in the next round, so a handler that
  // re-arms itself at `now` cannot starve the fds.
  size_t budget = timers_.size();
  while (!timers_.empty() && timers_.front().deadline <= now && budget-- > 0) {
    std::pop_heap(timers_.begin(), timers_.end(), Later());
    Timer t = timers_.back();
    timers_.pop_back();
    t.handler->on_timer(t.token);
    ++ran;
  }
  armed_for_ = 0;
  if (!timers_.empty()) arm_timerfd(timers_.front().deadline);
  return ran;
}

int EventLoop::run_once(Nanos deadline) {
  constexpr int kMaxEvents = 256;
  epoll_event events[kMaxEvents];
  int ran = 0;
  Nanos now = monotonic_now();
  int timeout_ms = 0;
  bool timers_due = !timers_.empty() && timers_.front().deadline <= now;
  if (!timers_due && deadline > now) {
    // The timerfd carries the precise deadline; this timeout only bounds the wait.
    timeout_ms = static_cast<int>(std::min<Nanos>((deadline - now) / kNanosPerMilli + 1, 1000));
  }
  int n = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
  for (int i = 0; i < n; ++i) {
    int fd = events[i].data.fd;
    if (fd == timer_fd_) {
      uint64_t expirations;
      while (read(timer_fd_, &expirations, sizeof(expirations)) > 0) {
      }
      continue;
    }
    if (fd == wake_fd_) {
      uint64_t value;
      while (read(wake_fd_, &value, sizeof(value)) > 0) {
      }
      continue;
    }
    // A handler removed by an earlier callback in this batch is skipped.
    FdHandler* handler = static_cast<size_t>(fd) < handlers_.size() ? handlers_[fd] : nullptr;
    if (handler == nullptr) continue;
    handler->on_fd_ready(fd, events[i].events);
    ++ran;
  }
  if (!timers_.empty() && timers_.front().deadline <= monotonic_now()) ran += run_due_timers();
  return ran;
}

void EventLoop::wake() {
  uint64_t one = 1;
  ssize_t r = write(wake_fd_, &one, sizeof(one));
  (void)r;
}

}  // namespace stampede
