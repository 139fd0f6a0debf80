#include "engine/worker/thread_clock.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <thread>

namespace stampede {
namespace {

// Spins until this thread has used `cpu` of CPU time.
void spin_for(const ThreadClock& clock, Nanos cpu) {
  const Nanos until = clock.cpu() + cpu;
  volatile uint64_t sink = 0;
  while (clock.cpu() < until) {
    for (int i = 0; i < 1000; ++i) sink = sink + i;
  }
}

bool pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

TEST(ThreadClock, MeasuresCpuAndTheWaitForACpuThatAnotherThreadHolds) {
  ThreadClock clock;
  clock.open();
  if (clock.run_queue_wait() < 0) GTEST_SKIP() << "no /proc/thread-self/schedstat here";
  // The calling thread's CPU time grows with its work.
  Nanos cpu0 = clock.cpu();
  spin_for(clock, 20 * kNanosPerMilli);
  EXPECT_GE(clock.cpu() - cpu0, 20 * kNanosPerMilli);

  // Two threads runnable on one CPU: each spends about as long waiting as running. A rival
  // spins on the CPU this thread is pinned to for as long as it runs.
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  int cpu = 0;
  while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed)) ++cpu;
  ASSERT_TRUE(pin_to(cpu));
  std::atomic<bool> stop{false};
  std::thread rival([&] {
    pin_to(cpu);
    volatile uint64_t sink = 0;
    while (!stop.load(std::memory_order_relaxed)) sink = sink + 1;
  });
  Nanos wait0 = clock.run_queue_wait();
  spin_for(clock, 100 * kNanosPerMilli);
  Nanos waited = clock.run_queue_wait() - wait0;
  stop = true;
  rival.join();
  EXPECT_GT(waited, 20 * kNanosPerMilli) << "waited " << waited / kNanosPerMilli << " ms";
}

}  // namespace
}  // namespace stampede
