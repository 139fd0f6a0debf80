// LocalPlatform: the Platform over `stampede up`'s control API (docs/local-runtime-api.md),
// found through <state dir>/runtime.json. Blocking libcurl calls with a short timeout; pods'
// /metrics are fetched from their loopback ports. Not thread-safe (see platform.h).
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/platform/api_client.h"
#include "engine/platform/platform.h"
#include "engine/platform/runtime_info.h"

namespace stampede {

class LocalPlatform final : public Platform {
 public:
  // Reads runtime.json from `state_dir` and checks the API answers (GET /v1/status). Errors
  // name the file or the address and say what to do.
  static Result<std::unique_ptr<LocalPlatform>> connect(
      const std::string& state_dir,
      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // An adapter for an API address and token, without reading runtime.json or checking it.
  LocalPlatform(RuntimeInfo info, std::string state_dir, std::chrono::milliseconds timeout);

  std::string describe() const override;
  std::string cannot(Capability) const override { return ""; }
  std::string event_times() const override { return "platform"; }
  Status ping() override;

  Result<std::vector<DeploymentState>> deployments() override;
  Result<std::vector<PodState>> pods(const std::string& selector) override;
  Result<std::vector<HpaState>> hpas() override;
  Result<EventBatch> events_since(int64_t cursor) override;
  Result<std::string> pod_metrics(const std::string& pod) override;

  Status kill_pod(const std::string& pod) override;
  Status terminate_pod(const std::string& pod, double grace_seconds) override;
  Status pause_pod(const std::string& pod) override;
  Status scale(const std::string& deployment, int replicas) override;
  Status rollout_restart(const std::string& deployment) override;
  Status set_pod_faults(const std::string& pod, const FaultKnobs& knobs) override;
  Status set_service_fault(const std::string& service, const NetworkFault& fault) override;

  Status resume_pod(const std::string& pod) override;
  Status clear_pod_faults(const std::string& pod) override;
  Status clear_service_fault(const std::string& service) override;

 private:
  // One API call; non-2xx answers become errors "METHOD /path: 404 pod 'x' not found".
  // Statuses listed in `fine` (e.g. 404 on an undo) count as success.
  Result<ApiResponse> call(const std::string& method, const std::string& path,
                           const std::string& body = "", std::initializer_list<long> fine = {});
  Result<nlohmann::json> get_json(const std::string& path);
  Status act(const std::string& method, const std::string& path, const std::string& body = "",
             std::initializer_list<long> fine = {});

  RuntimeInfo info_;
  std::string state_dir_;
  ApiClient api_;
  ApiClient scraper_;  // pods' /metrics: no token
};

}  // namespace stampede
