#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace stampede::http::internal {

// A fixed set of threads running jobs from a bounded FIFO queue, so that handlers which block
// (on gRPC calls, locks, disk) do not stall the io threads. Thread-safe; stop() or the
// destructor drops queued jobs and joins the threads (a running job is waited for).
class HandlerPool {
 public:
  HandlerPool(unsigned threads, size_t max_queue);
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;
  ~HandlerPool();

  // Queues `job`; returns false (and does not run it) when the queue is full or stopped.
  bool try_submit(std::function<void()> job);
  // Drops queued jobs, waits for running ones and joins the threads. Idempotent.
  void stop();

 private:
  void run();

  const size_t max_queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace stampede::http::internal
