// hipstershop.ShippingService: Online Boutique's flat quote, shipments kept in memory, and our
// CancelShipment extension; the `shop shipping` process (port 50051).
#pragma once

#include "demo.grpc.pb.h"
#include "shop-reference/common/grpc_host.h"
#include "shop-reference/shipping/shipping_logic.h"

namespace shop {

// Thread-safe (the registry is). The runtime must outlive it.
class ShippingService final : public hipstershop::ShippingService::Service {
 public:
  explicit ShippingService(ServerRuntime& runtime) : runtime_(runtime) {}

  // INVALID_ARGUMENT for a negative quantity.
  grpc::Status GetQuote(grpc::ServerContext* context, const hipstershop::GetQuoteRequest* request,
                        hipstershop::GetQuoteResponse* response) override;
  // Idempotent by order_id; FAILED_PRECONDITION when that order's shipment was cancelled.
  grpc::Status ShipOrder(grpc::ServerContext* context, const hipstershop::ShipOrderRequest* request,
                         hipstershop::ShipOrderResponse* response) override;
  // Idempotent; INVALID_ARGUMENT without any id or with ids of two different shipments.
  grpc::Status CancelShipment(grpc::ServerContext* context,
                              const hipstershop::CancelShipmentRequest* request,
                              hipstershop::CancelShipmentResponse* response) override;

 private:
  ServerRuntime& runtime_;
  ShipmentRegistry registry_;
};

GrpcServiceSpec shipping_service_spec();

}  // namespace shop
