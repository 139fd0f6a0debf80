// FaultSwitch: the proxy's current network fault. Written from any thread (set/clear), read
// from any thread (get), and read on every chunk by the io thread through current(), which costs
// one atomic load unless the fault changed since the io thread last looked.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "common/result.h"
#include "targets/local/proxy/service_proxy.h"

namespace stampede::local::internal {

// The largest latency or jitter accepted: one hour.
inline constexpr double kMaxDelayMs = 3600.0 * 1000.0;

// Checks a fault's values. The error names the field and the value, e.g.
// "latency_ms: must be a number from 0 to 3600000, got -5".
Status validate_fault(const ProxyFault& fault);

// True when the fault delays chunks (latency or jitter set).
inline bool delays(const ProxyFault& fault) {
  return fault.latency_ms > 0 || fault.jitter_ms > 0;
}

class FaultSwitch {
 public:
  // Replaces the fault after validate_fault(); on error nothing changes.
  Status set(const ProxyFault& fault);
  // Back to no fault.
  void clear();
  // A copy of the fault now (any thread).
  ProxyFault get() const;

  // io thread only: the fault now, and a number that changes whenever it does.
  const ProxyFault& current();
  uint64_t current_generation() const { return seen_generation_; }

 private:
  mutable std::mutex mu_;
  ProxyFault fault_;                     // guarded by mu_
  std::atomic<uint64_t> generation_{0};  // bumped under mu_ after fault_ changes
  ProxyFault seen_;                      // io thread's copy
  uint64_t seen_generation_ = 0;         // io thread
};

}  // namespace stampede::local::internal
