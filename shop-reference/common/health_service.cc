#include "shop-reference/common/health_service.h"

#include <thread>

namespace shop {

using grpc::health::v1::HealthCheckResponse;

HealthService::HealthService(ServerRuntime& runtime, std::set<std::string> services)
    : runtime_(runtime), services_(std::move(services)) {}

HealthCheckResponse::ServingStatus HealthService::status() const {
  return runtime_.ready() ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
}

grpc::Status HealthService::Check(grpc::ServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  if (!request->service().empty() && !services_.count(request->service())) {
    return grpc::Status(grpc::NOT_FOUND, "unknown service " + request->service());
  }
  if (runtime_.faults().hang("Check") && !wait_while_hung(runtime_.faults(), "Check", [&] {
        return context->IsCancelled() || runtime_.shutting_down();
      })) {
    return grpc::Status(grpc::CANCELLED, "health check abandoned while hung (fault)");
  }
  response->set_status(status());
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  HealthCheckResponse response;
  if (!request->service().empty() && !services_.count(request->service())) {
    response.set_status(HealthCheckResponse::SERVICE_UNKNOWN);
    writer->Write(response);
    return grpc::Status::OK;  // the set of services is fixed: it will never become known
  }
  auto last = HealthCheckResponse::UNKNOWN;
  while (!context->IsCancelled()) {
    auto now = status();
    if (now != last) {
      response.set_status(now);
      if (!writer->Write(response)) break;
      last = now;
    }
    if (runtime_.shutting_down()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return grpc::Status::OK;
}

}  // namespace shop
