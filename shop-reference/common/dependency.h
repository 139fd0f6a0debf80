// A resilient client for one gRPC dependency: a deadline on every call, bounded retries with
// backoff for idempotent calls, and a circuit breaker that fails fast while the dependency is
// down. Every call and breaker transition is a metric; transitions are also log lines.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "shop-reference/common/circuit_breaker.h"
#include "shop-reference/common/env.h"

namespace shop {

struct CallPolicy {
  std::chrono::milliseconds deadline{3000};
  int retries = 1;  // extra attempts for idempotent calls after a dependency failure
  std::chrono::milliseconds backoff{50};  // first retry delay; doubles, with jitter
  BreakerConfig breaker;
};

// Defaults from SHOP_DEADLINE_MS, SHOP_RETRIES, SHOP_RETRY_BACKOFF_MS, SHOP_BREAKER_ENABLED,
// SHOP_BREAKER_FAILURES, SHOP_BREAKER_FAILURE_RATE, SHOP_BREAKER_WINDOW, SHOP_BREAKER_MIN_CALLS,
// SHOP_BREAKER_OPEN_MS, SHOP_BREAKER_HALF_OPEN_CALLS; each overridden per dependency by the same
// name with the dependency's prefix instead of SHOP (PAYMENT_DEADLINE_MS, ...). Errors name the
// variable.
stampede::Result<CallPolicy> call_policy_from_env(const Env& env, std::string_view prefix);

// True for the codes that mean "the dependency is not working" (they count against the breaker
// and may be retried): UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNKNOWN,
// ABORTED. Business answers (NOT_FOUND, INVALID_ARGUMENT, ...) are the dependency working.
bool is_dependency_failure(grpc::StatusCode code);

// Owns the channel to one dependency. Thread-safe; one per dependency per process.
class Dependency {
 public:
  // `name` labels metrics and logs ("payment"); `address` is host:port.
  Dependency(std::string name, std::string address, CallPolicy policy);
  Dependency(const Dependency&) = delete;
  Dependency& operator=(const Dependency&) = delete;

  const std::string& name() const { return name_; }
  const std::string& address() const { return address_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  BreakerState breaker_state() { return breaker_.state(); }

  // Runs `fn(grpc::ClientContext&) -> grpc::Status` under the policy. Returns the last status;
  // UNAVAILABLE "circuit breaker open for <name>" without calling when the breaker is open.
  template <class Fn>
  grpc::Status call(std::string_view method, bool idempotent, Fn&& fn) {
    if (!admit(method)) return open_status();
    for (int attempt = 0;; ++attempt) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + policy_.deadline);
      auto started = std::chrono::steady_clock::now();
      grpc::Status status = fn(context);
      bool again = finish(method, status, started, idempotent, attempt);
      if (!again) return status;
      if (!admit(method)) return open_status();
    }
  }

 private:
  bool admit(std::string_view method);
  // Records the outcome; true when the call should be tried again (after a backoff sleep).
  bool finish(std::string_view method, const grpc::Status& status,
              std::chrono::steady_clock::time_point started, bool idempotent, int attempt);
  grpc::Status open_status() const;

  const std::string name_;
  const std::string address_;
  const CallPolicy policy_;
  CircuitBreaker breaker_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace shop
