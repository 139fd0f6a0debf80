#include "engine/core/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

namespace stampede {
namespace {

Error errno_error(const char* what) {
  return Error(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

Deadline::Deadline(EventLoop& loop, TimerHandler* handler, uint64_t token)
    : loop_(loop), handler_(handler), token_(token) {
  loop_.deadlines_.push_back(this);
}

Deadline::~Deadline() {
  std::erase(loop_.deadlines_, this);
}

EventLoop::EventLoop() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (!ok()) return;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

EventLoop::~EventLoop() {
  for (int fd : {epoll_fd_, wake_fd_}) {
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
  forget_fd(fd);
}

void EventLoop::forget_fd(int fd) {
  if (static_cast<size_t>(fd) < handlers_.size()) handlers_[fd] = nullptr;
}

void EventLoop::add_timer(Nanos deadline, TimerHandler* handler, uint64_t token) {
  timers_.push_back(Timer{deadline, next_seq_++, handler, token});
  std::push_heap(timers_.begin(), timers_.end(), Later());
}

Nanos EventLoop::next_timer_deadline() const {
  Nanos next = timers_.empty() ? LLONG_MAX : timers_.front().deadline;
  for (const Deadline* d : deadlines_) {
    if (d->at_ != 0) next = std::min(next, d->at_);
  }
  return next;
}

int EventLoop::run_due_timers(Nanos now) {
  int ran = 0;
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
  // Index loop: a callback may add or remove Deadlines.
  for (size_t i = 0; i < deadlines_.size(); ++i) {
    Deadline* d = deadlines_[i];
    if (d->at_ != 0 && d->at_ <= now) {
      d->at_ = 0;
      d->handler_->on_timer(d->token_);
      ++ran;
    }
  }
  return ran;
}

int EventLoop::wait(void* events_ptr, int max_events, Nanos timeout) {
  auto* events = static_cast<epoll_event*>(events_ptr);
  if (have_pwait2_) {
    timespec ts{static_cast<time_t>(timeout / kNanosPerSecond),
                static_cast<long>(timeout % kNanosPerSecond)};
    int n = epoll_pwait2(epoll_fd_, events, max_events, &ts, nullptr);
    if (n >= 0 || errno != ENOSYS) return n;
    have_pwait2_ = false;
  }
  // Round up so a timer is never run before its deadline.
  Nanos ms = (timeout + kNanosPerMilli - 1) / kNanosPerMilli;
  return epoll_wait(epoll_fd_, events, max_events, static_cast<int>(std::min<Nanos>(ms, INT_MAX)));
}

int EventLoop::run_once(Nanos deadline) {
  constexpr int kMaxEvents = 256;
  epoll_event events[kMaxEvents];
  Nanos now = monotonic_now();
  Nanos until = std::min(deadline, next_timer_deadline());
  Nanos timeout = until > now ? until - now : 0;
  int ran = 0;
  int n = wait(events, kMaxEvents, timeout);
  for (int i = 0; i < n; ++i) {
    int fd = events[i].data.fd;
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
  now = monotonic_now();
  if (next_timer_deadline() <= now) ran += run_due_timers(now);
  return ran;
}

void EventLoop::wake() {
  uint64_t one = 1;
  ssize_t r = write(wake_fd_, &one, sizeof(one));
  (void)r;
}

}  // namespace stampede
