#include "targets/local/proxy/fault_switch.h"

#include <cmath>
#include <sstream>
#include <string>

namespace stampede::local::internal {
namespace {

std::string show(double value) {
  std::ostringstream out;
  out.precision(15);  // 3600000, not 3.6e+06
  out << value;
  return out.str();
}

Status check_range(const char* field, double value, double max) {
  if (std::isfinite(value) && value >= 0 && value <= max) return Status::Ok();
  return Error(std::string(field) + ": must be a number from 0 to " + show(max) + ", got " +
               show(value));
}

}  // namespace

Status validate_fault(const ProxyFault& fault) {
  if (Status s = check_range("latency_ms", fault.latency_ms, kMaxDelayMs); !s) return s;
  if (Status s = check_range("jitter_ms", fault.jitter_ms, kMaxDelayMs); !s) return s;
  // Up to 1 TB/s: any real limit fits, and the byte arithmetic stays exact in a double.
  if (Status s = check_range("bandwidth_kbps", fault.bandwidth_kbps, 1e9); !s) return s;
  if (Status s = check_range("reset_rate", fault.reset_rate, 1); !s) return s;
  return Status::Ok();
}

Status FaultSwitch::set(const ProxyFault& fault) {
  if (Status s = validate_fault(fault); !s) return s;
  std::lock_guard lock(mu_);
  fault_ = fault;
  generation_.fetch_add(1, std::memory_order_release);
  return Status::Ok();
}

void FaultSwitch::clear() {
  std::lock_guard lock(mu_);
  fault_ = ProxyFault{};
  generation_.fetch_add(1, std::memory_order_release);
}

ProxyFault FaultSwitch::get() const {
  std::lock_guard lock(mu_);
  return fault_;
}

const ProxyFault& FaultSwitch::current() {
  if (generation_.load(std::memory_order_acquire) != seen_generation_) {
    std::lock_guard lock(mu_);
    seen_ = fault_;
    seen_generation_ = generation_.load(std::memory_order_relaxed);
  }
  return seen_;
}

}  // namespace stampede::local::internal
