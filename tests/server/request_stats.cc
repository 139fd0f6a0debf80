#include "tests/server/request_stats.h"

namespace stampede::testserver {

void RequestStats::record(std::string_view path) {
  total_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  auto it = by_path_.find(path);
  if (it == by_path_.end()) {
    // Cap the map so a client walking random paths cannot grow it without bound.
    const std::string_view key = by_path_.size() < kMaxPaths ? path : kOtherPath;
    it = by_path_.try_emplace(std::string(key), 0).first;
  }
  ++it->second;
}

void RequestStats::reset() {
  std::lock_guard lock(mu_);
  total_.store(0, std::memory_order_relaxed);
  by_path_.clear();
}

RequestStats::Snapshot RequestStats::snapshot() const {
  std::lock_guard lock(mu_);
  return Snapshot{total_.load(std::memory_order_relaxed), by_path_};
}

}  // namespace stampede::testserver
