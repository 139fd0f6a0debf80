#include "shop-reference/common/dependency.h"

#include <random>
#include <thread>

#include "shop-reference/common/grpc_codes.h"
#include "shop-reference/common/log.h"
#include "shop-reference/common/shop_metrics.h"

namespace shop {
namespace {

using stampede::Error;
using stampede::Result;

// Reads SHOP_<name> then <prefix>_<name>, the second overriding the first.
template <class T, class Read>
Result<T> layered(std::string_view prefix, std::string_view name, T fallback, Read read) {
  Result<T> base = read(prefixed("SHOP", name), fallback);
  if (!base.ok()) return base;
  return read(prefixed(prefix, name), base.value());
}

stampede::prometheus::Family<stampede::prometheus::Counter>& calls_family() {
  static auto& f = registry().counter("shop_client_requests_total",
                                      "Calls made to a dependency, by outcome (ok, error code, "
                                      "or circuit_open when the breaker refused the call).",
                                      {"dependency", "method", "outcome"});
  return f;
}

stampede::prometheus::Family<stampede::prometheus::Histogram>& latency_family() {
  static auto& f = registry().histogram("shop_client_request_duration_seconds",
                                        "Latency of calls to a dependency, per attempt.",
                                        {"dependency", "method"});
  return f;
}

stampede::prometheus::Family<stampede::prometheus::Gauge>& state_family() {
  static auto& f = registry().gauge("shop_circuit_breaker_state",
                                    "Circuit breaker state per dependency: 0 closed, 1 open, "
                                    "2 half-open.",
                                    {"dependency"});
  return f;
}

stampede::prometheus::Family<stampede::prometheus::Counter>& transitions_family() {
  static auto& f =
      registry().counter("shop_circuit_breaker_transitions_total",
                         "Circuit breaker state changes per dependency.", {"dependency", "to"});
  return f;
}

std::shared_ptr<grpc::Channel> make_channel(const std::string& address) {
  grpc::ChannelArguments args;
  // Reconnect quickly after a dependency restarts: chaos tests kill and restart them.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

}  // namespace

Result<CallPolicy> call_policy_from_env(const Env& env, std::string_view prefix) {
  CallPolicy p;
  auto ms = [&](std::string_view name, std::chrono::milliseconds fallback, int64_t max) {
    return layered<std::chrono::milliseconds>(
        prefix, name, fallback, [&](const std::string& var, std::chrono::milliseconds fb) {
          return env.millis(var, fb, max);
        });
  };
  auto integer = [&](std::string_view name, int64_t fallback, int64_t min, int64_t max) {
    return layered<int64_t>(prefix, name, fallback, [&](const std::string& var, int64_t fb) {
      return env.integer(var, fb, min, max);
    });
  };
  auto deadline = ms("DEADLINE_MS", p.deadline, 600'000);
  if (!deadline.ok()) return deadline.error();
  if (deadline.value().count() == 0) {
    return Error("environment " + prefixed(prefix, "DEADLINE_MS") + ": must be at least 1 ms");
  }
  auto retries = integer("RETRIES", p.retries, 0, 10);
  if (!retries.ok()) return retries.error();
  auto backoff = ms("RETRY_BACKOFF_MS", p.backoff, 60'000);
  if (!backoff.ok()) return backoff.error();
  auto enabled =
      layered<bool>(prefix, "BREAKER_ENABLED", p.breaker.enabled,
                    [&](const std::string& var, bool fb) { return env.boolean(var, fb); });
  if (!enabled.ok()) return enabled.error();
  auto failures = integer("BREAKER_FAILURES", p.breaker.consecutive_failures, 0, 1'000'000);
  if (!failures.ok()) return failures.error();
  auto rate =
      layered<double>(prefix, "BREAKER_FAILURE_RATE", p.breaker.failure_rate,
                      [&](const std::string& var, double fb) { return env.number(var, fb, 0, 1); });
  if (!rate.ok()) return rate.error();
  auto window = integer("BREAKER_WINDOW", p.breaker.window, 1, 100'000);
  if (!window.ok()) return window.error();
  auto min_calls = integer("BREAKER_MIN_CALLS", p.breaker.min_calls, 1, 100'000);
  if (!min_calls.ok()) return min_calls.error();
  auto open_for = ms("BREAKER_OPEN_MS", p.breaker.open_for, 3'600'000);
  if (!open_for.ok()) return open_for.error();
  auto half_open = integer("BREAKER_HALF_OPEN_CALLS", p.breaker.half_open_calls, 1, 1000);
  if (!half_open.ok()) return half_open.error();

  p.deadline = deadline.value();
  p.retries = static_cast<int>(retries.value());
  p.backoff = backoff.value();
  p.breaker.enabled = enabled.value();
  p.breaker.consecutive_failures = static_cast<int>(failures.value());
  p.breaker.failure_rate = rate.value();
  p.breaker.window = static_cast<int>(window.value());
  p.breaker.min_calls = static_cast<int>(min_calls.value());
  p.breaker.open_for = open_for.value();
  p.breaker.half_open_calls = static_cast<int>(half_open.value());
  return p;
}

bool is_dependency_failure(grpc::StatusCode code) {
  switch (code) {
    case grpc::UNAVAILABLE:
    case grpc::DEADLINE_EXCEEDED:
    case grpc::RESOURCE_EXHAUSTED:
    case grpc::INTERNAL:
    case grpc::UNKNOWN:
    case grpc::ABORTED:
      return true;
    default:
      return false;
  }
}

Dependency::Dependency(std::string name, std::string address, CallPolicy policy)
    : name_(std::move(name)),
      address_(std::move(address)),
      policy_(policy),
      breaker_(policy.breaker, nullptr,
               [this](BreakerState from, BreakerState to, std::string_view why) {
                 state_family().with({name_}).set(static_cast<double>(to));
                 transitions_family().with({name_, std::string(to_string(to))}).inc();
                 log_warn("circuit breaker " + name_ + ": " + std::string(to_string(from)) +
                          " -> " + std::string(to_string(to)) + " (" + std::string(why) + ")");
               }),
      channel_(make_channel(address_)) {
  state_family().with({name_}).set(0);
}

bool Dependency::admit(std::string_view method) {
  if (breaker_.allow()) return true;
  calls_family().with({name_, std::string(method), "circuit_open"}).inc();
  return false;
}

bool Dependency::finish(std::string_view method, const grpc::Status& status,
                        std::chrono::steady_clock::time_point started, bool idempotent,
                        int attempt) {
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  latency_family().with({name_, std::string(method)}).observe(took.count());
  calls_family().with({name_, std::string(method), grpc_code_name(status.error_code())}).inc();
  bool failed = is_dependency_failure(status.error_code());
  breaker_.record(!failed);
  if (!failed || !idempotent || attempt >= policy_.retries) return false;
  // Exponential backoff with full jitter, so retries from many callers do not line up.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  auto cap = policy_.backoff * (int64_t{1} << std::min(attempt, 10));
  auto sleep = std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(
      cap.count() / 2, std::max<int64_t>(cap.count(), 0))(rng));
  std::this_thread::sleep_for(sleep);
  return true;
}

grpc::Status Dependency::open_status() const {
  return grpc::Status(grpc::UNAVAILABLE, "circuit breaker open for " + name_);
}

}  // namespace shop
