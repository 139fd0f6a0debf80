#include "common/http/handler_pool.h"

#include <utility>

namespace stampede::http::internal {

HandlerPool::HandlerPool(unsigned threads, size_t max_queue) : max_queue_(max_queue) {
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

HandlerPool::~HandlerPool() {
  stop();
}

bool HandlerPool::try_submit(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queue_) return false;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void HandlerPool::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  cv_.notify_all();
  // Jobs own connections; destroy them outside the lock so their destructors cannot deadlock.
  dropped.clear();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void HandlerPool::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    // Jobs catch their handler's exceptions themselves; this only guards the pool thread.
    try {
      job();
    } catch (...) {
    }
  }
}

}  // namespace stampede::http::internal
