// hipstershop.OrderService (our extension): the order store over gRPC, order cancel, and the
// recovery loop; the `shop orders` process definition (port 50052; SHOP_DATA_DIR for orders.db,
// PAYMENT_SERVICE_ADDR and SHIPPING_SERVICE_ADDR for the compensations).
#pragma once

#include <memory>

#include "orders.grpc.pb.h"
#include "shop-reference/common/grpc_host.h"
#include "shop-reference/orders/order_compensation.h"
#include "shop-reference/orders/order_recovery.h"
#include "shop-reference/orders/order_store.h"

namespace shop {

// Thread-safe. Owns the store, the compensation and the recovery loop (stopped first on
// destruction). The runtime must outlive it.
class OrdersService final : public hipstershop::OrderService::Service {
 public:
  OrdersService(ServerRuntime& runtime, std::unique_ptr<OrderStore> store,
                std::unique_ptr<OrderCompensation> compensation,
                std::chrono::milliseconds recovery_interval,
                std::chrono::milliseconds recovery_after);

  grpc::Status BeginOrder(grpc::ServerContext* context,
                          const hipstershop::BeginOrderRequest* request,
                          hipstershop::Order* response) override;
  grpc::Status AdvanceOrder(grpc::ServerContext* context,
                            const hipstershop::AdvanceOrderRequest* request,
                            hipstershop::Order* response) override;
  grpc::Status GetOrder(grpc::ServerContext* context, const hipstershop::GetOrderRequest* request,
                        hipstershop::Order* response) override;
  grpc::Status ListOrders(grpc::ServerContext* context,
                          const hipstershop::ListOrdersRequest* request,
                          hipstershop::ListOrdersResponse* response) override;
  grpc::Status CancelOrder(grpc::ServerContext* context,
                           const hipstershop::CancelOrderRequest* request,
                           hipstershop::Order* response) override;

 private:
  ServerRuntime& runtime_;
  std::unique_ptr<OrderStore> store_;
  std::unique_ptr<OrderCompensation> compensation_;
  std::unique_ptr<OrderRecovery> recovery_;  // declared last: stopped before the rest goes
};

GrpcServiceSpec orders_service_spec();

}  // namespace shop
