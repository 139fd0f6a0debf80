#include "engine/core/event_loop.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <thread>
#include <vector>

namespace stampede {
namespace {

struct Recorder : TimerHandler, FdHandler {
  std::vector<uint64_t> tokens;
  std::vector<Nanos> at;
  int fd_events = 0;
  void on_timer(uint64_t token) override {
    tokens.push_back(token);
    at.push_back(monotonic_now());
  }
  void on_fd_ready(int fd, uint32_t) override {
    char buf[16];
    while (read(fd, buf, sizeof(buf)) > 0) {
    }
    ++fd_events;
  }
};

void run_until(EventLoop& loop, Nanos until) {
  while (monotonic_now() < until) loop.run_once(until);
}

TEST(EventLoopTest, TimersRunInDeadlineOrderNotBefore) {
  EventLoop loop;
  ASSERT_TRUE(loop.ok());
  Recorder r;
  Nanos t0 = monotonic_now();
  loop.add_timer(t0 + 30 * kNanosPerMilli, &r, 3);
  loop.add_timer(t0 + 10 * kNanosPerMilli, &r, 1);
  loop.add_timer(t0 + 20 * kNanosPerMilli, &r, 2);
  run_until(loop, t0 + 60 * kNanosPerMilli);
  ASSERT_EQ(r.tokens, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_GE(r.at[0], t0 + 10 * kNanosPerMilli);
  EXPECT_GE(r.at[2], t0 + 30 * kNanosPerMilli);
  EXPECT_EQ(loop.pending_timers(), 0u);
}

TEST(EventLoopTest, EqualDeadlinesRunInInsertionOrder) {
  EventLoop loop;
  Recorder r;
  Nanos at = monotonic_now() + kNanosPerMilli;
  for (uint64_t i = 0; i < 5; ++i) loop.add_timer(at, &r, i);
  run_until(loop, at + 20 * kNanosPerMilli);
  EXPECT_EQ(r.tokens, (std::vector<uint64_t>{0, 1, 2, 3, 4}));
}

TEST(EventLoopTest, DeadlineReplacesInsteadOfAccumulating) {
  EventLoop loop;
  Recorder r;
  Deadline d(loop, &r, 7);
  Nanos t0 = monotonic_now();
  for (int i = 0; i < 100; ++i) d.set(t0 + (50 - i % 10) * kNanosPerMilli);
  d.set(t0 + 5 * kNanosPerMilli);  // the last set() wins
  run_until(loop, t0 + 80 * kNanosPerMilli);
  ASSERT_EQ(r.tokens, (std::vector<uint64_t>{7}));
  EXPECT_GE(r.at[0], t0 + 5 * kNanosPerMilli);
  EXPECT_LT(r.at[0], t0 + 45 * kNanosPerMilli);
  EXPECT_FALSE(d.armed());
  EXPECT_EQ(loop.pending_timers(), 0u);
}

TEST(EventLoopTest, ClearedDeadlineNeverFires) {
  EventLoop loop;
  Recorder r;
  Deadline d(loop, &r, 1);
  d.set(monotonic_now() + kNanosPerMilli);
  d.clear();
  run_until(loop, monotonic_now() + 10 * kNanosPerMilli);
  EXPECT_TRUE(r.tokens.empty());
}

TEST(EventLoopTest, FdReadinessAndRemoval) {
  EventLoop loop;
  Recorder r;
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK), 0);
  ASSERT_TRUE(loop.add_fd(fds[0], EPOLLIN, &r).ok());
  ASSERT_EQ(write(fds[1], "x", 1), 1);
  loop.run_once(monotonic_now() + 100 * kNanosPerMilli);
  EXPECT_EQ(r.fd_events, 1);
  loop.remove_fd(fds[0]);
  ASSERT_EQ(write(fds[1], "y", 1), 1);
  loop.run_once(monotonic_now() + 10 * kNanosPerMilli);
  EXPECT_EQ(r.fd_events, 1);
  EXPECT_FALSE(loop.add_fd(-1, EPOLLIN, &r).ok());  // errors are values
  close(fds[0]);
  close(fds[1]);
}

TEST(EventLoopTest, WakeInterruptsALongWait) {
  EventLoop loop;
  Nanos t0 = monotonic_now();
  std::thread waker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    loop.wake();
  });
  loop.run_once(t0 + 5 * kNanosPerSecond);
  waker.join();
  EXPECT_LT(monotonic_now() - t0, kNanosPerSecond);
}

}  // namespace
}  // namespace stampede
