// grpc.health.v1.Health on every gRPC port: SERVING while the process is ready (see
// ServerRuntime::ready), NOT_SERVING while unhealthy or shutting down. The hang knob hangs health
// checks too, as a real hang would; latency and error knobs do not apply to probes.
#pragma once

#include <set>
#include <string>

#include "health.grpc.pb.h"
#include "shop-reference/common/server_runtime.h"

namespace shop {

// Answers for the empty service name and for each name in `services` (fully qualified, e.g.
// "hipstershop.CartService"); other names get NOT_FOUND. The runtime must outlive it.
class HealthService final : public grpc::health::v1::Health::Service {
 public:
  HealthService(ServerRuntime& runtime, std::set<std::string> services);

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  // Sends the status now and again on every change, until the client cancels or the process
  // shuts down (then NOT_SERVING is the last message).
  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  grpc::health::v1::HealthCheckResponse::ServingStatus status() const;

  ServerRuntime& runtime_;
  const std::set<std::string> services_;
};

}  // namespace shop
