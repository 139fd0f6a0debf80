// /readyz for the frontend: ready when the process is (not shutting down, not marked unhealthy)
// and every required backend answers grpc.health.v1 Check with SERVING within a short deadline.
// Backend answers are cached briefly so that frequent probes do not load the backends.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "health.grpc.pb.h"
#include "shop-reference/common/dependency.h"
#include "shop-reference/common/server_runtime.h"

namespace shop {

// Thread-safe: one probe at a time checks the backends, concurrent probes wait for it and share
// its answer. The runtime and the dependencies must outlive it.
class Readiness {
 public:
  struct Answer {
    bool ready = false;
    std::string detail;  // "ready", "shutting down", "not serving: cart, currency"
  };

  // `cache`: how long a backend check is reused (0: never). `deadline`: per health check.
  Readiness(const ServerRuntime& runtime, std::vector<Dependency*> required,
            std::chrono::milliseconds deadline, std::chrono::milliseconds cache);

  Answer check();

 private:
  // Checks every backend in parallel; the names of those not SERVING, in `required` order.
  std::vector<std::string> not_serving();

  const ServerRuntime& runtime_;
  const std::vector<Dependency*> required_;
  std::vector<std::unique_ptr<grpc::health::v1::Health::Stub>> stubs_;
  const std::chrono::milliseconds deadline_;
  const std::chrono::milliseconds cache_;

  std::mutex mu_;                                     // held for a whole backend check
  bool checked_ = false;                              // guarded by mu_
  std::chrono::steady_clock::time_point checked_at_;  // guarded by mu_
  std::vector<std::string> down_;                     // guarded by mu_
};

}  // namespace shop
