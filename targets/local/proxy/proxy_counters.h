// ProxyCounters: the proxy's statistics as relaxed atomics, bumped on the io thread and read from
// any thread. Each counter is exact on its own; a snapshot of several is not one instant.
#pragma once

#include <atomic>
#include <cstdint>

#include "targets/local/proxy/service_proxy.h"

namespace stampede::local::internal {

class ProxyCounters {
 public:
  void accepted() { accepted_.fetch_add(1, std::memory_order_relaxed); }
  void refused() { refused_.fetch_add(1, std::memory_order_relaxed); }
  void reset() { reset_.fetch_add(1, std::memory_order_relaxed); }
  void opened() { active_.fetch_add(1, std::memory_order_relaxed); }
  void closed() { active_.fetch_sub(1, std::memory_order_relaxed); }
  void up(uint64_t bytes) { bytes_up_.fetch_add(bytes, std::memory_order_relaxed); }
  void down(uint64_t bytes) { bytes_down_.fetch_add(bytes, std::memory_order_relaxed); }

  ProxyStats snapshot() const {
    ProxyStats stats;
    stats.connections_accepted = accepted_.load(std::memory_order_relaxed);
    stats.connections_refused = refused_.load(std::memory_order_relaxed);
    stats.connections_reset = reset_.load(std::memory_order_relaxed);
    stats.active_connections = active_.load(std::memory_order_relaxed);
    stats.bytes_up = bytes_up_.load(std::memory_order_relaxed);
    stats.bytes_down = bytes_down_.load(std::memory_order_relaxed);
    return stats;
  }

 private:
  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> refused_{0};
  std::atomic<uint64_t> reset_{0};
  std::atomic<uint64_t> active_{0};
  std::atomic<uint64_t> bytes_up_{0};
  std::atomic<uint64_t> bytes_down_{0};
};

}  // namespace stampede::local::internal
