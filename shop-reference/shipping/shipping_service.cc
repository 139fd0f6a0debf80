#include "shop-reference/shipping/shipping_service.h"

namespace shop {

grpc::Status ShippingService::GetQuote(grpc::ServerContext* context,
                                       const hipstershop::GetQuoteRequest* request,
                                       hipstershop::GetQuoteResponse* response) {
  return runtime_.serve(context, "GetQuote", [&] {
    auto cost = quote(request->items());
    if (!cost.ok()) return grpc::Status(grpc::INVALID_ARGUMENT, cost.error().message());
    *response->mutable_cost_usd() = cost.value();
    return grpc::Status::OK;
  });
}

grpc::Status ShippingService::ShipOrder(grpc::ServerContext* context,
                                        const hipstershop::ShipOrderRequest* request,
                                        hipstershop::ShipOrderResponse* response) {
  return runtime_.serve(context, "ShipOrder", [&] {
    auto tracking = registry_.ship(request->order_id(), request->address(), request->items());
    if (!tracking.ok()) {
      return grpc::Status(grpc::FAILED_PRECONDITION, tracking.error().message());
    }
    response->set_tracking_id(tracking.value());
    return grpc::Status::OK;
  });
}

grpc::Status ShippingService::CancelShipment(grpc::ServerContext* context,
                                             const hipstershop::CancelShipmentRequest* request,
                                             hipstershop::CancelShipmentResponse* response) {
  return runtime_.serve(context, "CancelShipment", [&] {
    auto outcome = registry_.cancel(request->tracking_id(), request->order_id());
    if (!outcome.ok()) return grpc::Status(grpc::INVALID_ARGUMENT, outcome.error().message());
    response->set_cancelled(outcome.value().cancelled);
    return grpc::Status::OK;
  });
}

GrpcServiceSpec shipping_service_spec() {
  GrpcServiceSpec spec;
  spec.name = "shipping";
  spec.default_port = 50051;
  spec.build = [](const Env&, ServerRuntime& runtime) -> stampede::Result<BuiltServices> {
    BuiltServices built;
    built.services.push_back(std::make_unique<ShippingService>(runtime));
    built.health_names.push_back("hipstershop.ShippingService");
    return built;
  };
  return spec;
}

}  // namespace shop
