// SnapshotQueue: the hand-off of interval snapshots from workers to the aggregator.
//
// Thread-safe (one mutex): each worker pushes about once a second, so the lock is far from
// the request path. The aggregator pops with a timeout so it can also tick its own clock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "engine/metrics/interval_snapshot.h"

namespace stampede {

class SnapshotQueue {
 public:
  void push(IntervalSnapshot snapshot) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      items_.push_back(std::move(snapshot));
    }
    cv_.notify_one();
  }

  // Waits up to `timeout` for a snapshot; false when none arrived.
  bool pop(IntervalSnapshot& out, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, timeout, [this] { return !items_.empty(); })) return false;
    out = std::move(items_.front());
    items_.pop_front();
    return true;
  }

  // Wakes a waiting pop() without an item (e.g. on a signal).
  void poke() { cv_.notify_all(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<IntervalSnapshot> items_;  // GUARDED_BY(mu_)
};

}  // namespace stampede
