// Fault knobs: what a service does wrong on purpose, set at start from the environment and at
// run time through the admin endpoint (see ops_server.h).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "shop-reference/common/env.h"

namespace shop {

// The knobs. All zero/false means "behave". Rendered and parsed as JSON with these field names.
struct FaultSpec {
  int64_t latency_ms = 0;  // added before every request is served
  int64_t jitter_ms = 0;   // plus a uniform random 0..jitter_ms
  double error_rate =
      0;              // fraction of requests answered with an error (gRPC UNAVAILABLE, HTTP 503)
  bool hang = false;  // accept requests (probes included) but never answer them
  bool unhealthy = false;   // health checks and readiness say NOT_SERVING; requests still served
  int64_t cpu_burn_ms = 0;  // burn this much CPU time per request before serving it
  bool crash = false;       // exit the process (code 70) on the next request
  // When not empty, latency, errors, hang, CPU burn and crash apply only to requests of these
  // methods (gRPC method names like "ShipOrder", or the frontend's route patterns like
  // "/cart/checkout"); health checks count as "Check" and the frontend's probes as their paths.
  std::vector<std::string> methods;

  bool any() const;
  // True when the per-request knobs apply to `method`.
  bool applies_to(std::string_view method) const;
  bool operator==(const FaultSpec&) const = default;
};

// Environment at start: FAULT_LATENCY_MS, FAULT_JITTER_MS, FAULT_ERROR_RATE, FAULT_HANG,
// FAULT_UNHEALTHY, FAULT_CPU_BURN_MS, FAULT_CRASH, FAULT_METHODS (comma-separated). Errors name
// the variable.
stampede::Result<FaultSpec> fault_spec_from_env(const Env& env);
// Applies a JSON object of knobs to `base` (fields absent stay as they are). Errors name the
// field: unknown fields, wrong types, values out of range (latency/jitter/burn 0..600000 ms,
// error_rate 0..1, methods a list of non-empty strings), and malformed JSON.
stampede::Result<FaultSpec> apply_fault_patch(const FaultSpec& base, std::string_view json);
std::string to_json(const FaultSpec& spec);

// What to do for one request, drawn from the knobs.
struct FaultDecision {
  bool crash = false;
  bool hang = false;
  std::chrono::milliseconds delay{0};
  std::chrono::milliseconds burn{0};
  bool fail = false;
};

// The live knobs of one process. Thread-safe: set() takes a mutex; decide() on a process with
// no faults reads one atomic and takes no lock.
class Faults {
 public:
  FaultSpec get() const;
  // Replaces the knobs and logs the change.
  void set(const FaultSpec& spec);
  // Draws a decision for one request of `method` (see FaultSpec::methods).
  FaultDecision decide(std::string_view method) const;
  bool unhealthy() const { return unhealthy_.load(std::memory_order_relaxed); }
  // True while requests of `method` hang.
  bool hang(std::string_view method) const;

 private:
  mutable std::mutex mu_;
  FaultSpec spec_;  // guarded by mu_
  std::atomic<bool> any_{false};
  std::atomic<bool> unhealthy_{false};
  std::atomic<bool> hang_{false};
};

// Burns `d` of this thread's CPU time (not wall time).
void burn_cpu(std::chrono::milliseconds d);
// Logs and exits the process with code 70, as a crash would, without running destructors.
[[noreturn]] void crash_now(std::string_view where);
// Sleeps `d` in short steps; returns false as soon as `stop()` is true (then the wait is cut).
bool wait_for(std::chrono::milliseconds d, const std::function<bool()>& stop);
// Waits while `faults.hang(method)` holds, until `stop()` is true. Returns true if the hang was
// lifted.
bool wait_while_hung(const Faults& faults, std::string_view method,
                     const std::function<bool()>& stop);

}  // namespace shop
