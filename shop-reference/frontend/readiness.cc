#include "shop-reference/frontend/readiness.h"

#include <condition_variable>

namespace shop {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

Readiness::Readiness(const ServerRuntime& runtime, std::vector<Dependency*> required,
                     std::chrono::milliseconds deadline, std::chrono::milliseconds cache)
    : runtime_(runtime), required_(std::move(required)), deadline_(deadline), cache_(cache) {
  for (Dependency* dep : required_) stubs_.push_back(Health::NewStub(dep->channel()));
}

Readiness::Answer Readiness::check() {
  if (runtime_.shutting_down()) return {false, "shutting down"};
  if (runtime_.faults().unhealthy()) return {false, "unhealthy (fault knob)"};
  std::vector<std::string> down;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto now = std::chrono::steady_clock::now();
    if (!checked_ || now - checked_at_ >= cache_) {
      down_ = not_serving();
      checked_ = true;
      checked_at_ = std::chrono::steady_clock::now();
    }
    down = down_;
  }
  if (down.empty()) return {true, "ready"};
  std::string detail = "not serving:";
  for (size_t i = 0; i < down.size(); ++i) detail += (i == 0 ? " " : ", ") + down[i];
  return {false, detail};
}

std::vector<std::string> Readiness::not_serving() {
  // One in-flight Check per backend, so a probe takes one deadline at most, not one per backend.
  struct Probe {
    grpc::ClientContext context;
    HealthCheckRequest request;
    HealthCheckResponse response;
    bool serving = false;
  };
  std::vector<std::unique_ptr<Probe>> probes;
  std::mutex mu;
  std::condition_variable done;
  size_t pending = stubs_.size();
  for (auto& stub : stubs_) {
    auto probe = std::make_unique<Probe>();
    probe->context.set_deadline(std::chrono::system_clock::now() + deadline_);
    Probe* p = probe.get();
    probes.push_back(std::move(probe));
    stub->async()->Check(&p->context, &p->request, &p->response, [&, p](grpc::Status status) {
      // Notify under the lock: the waiter may destroy `done` as soon as it can take `mu`.
      std::lock_guard<std::mutex> lock(mu);
      p->serving = status.ok() && p->response.status() == HealthCheckResponse::SERVING;
      --pending;
      done.notify_all();
    });
  }
  {
    // Every call ends by its deadline, so this wait is bounded by it (plus scheduling).
    std::unique_lock<std::mutex> lock(mu);
    done.wait(lock, [&] { return pending == 0; });
  }
  std::vector<std::string> down;
  for (size_t i = 0; i < probes.size(); ++i) {
    if (!probes[i]->serving) down.push_back(required_[i]->name());
  }
  return down;
}

}  // namespace shop
