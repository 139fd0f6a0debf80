// hipstershop.CheckoutService: PlaceOrder through the OrderSaga, and the `shop checkout`
// process definition (port 5050; needs every *_SERVICE_ADDR of Online Boutique's checkout plus
// ORDER_SERVICE_ADDR).
#pragma once

#include "demo.grpc.pb.h"
#include "shop-reference/checkout/order_saga.h"
#include "shop-reference/common/grpc_host.h"
#include "shop-reference/common/server_runtime.h"

namespace shop {

// Thread-safe; owns its backends. The runtime must outlive it.
class CheckoutService final : public hipstershop::CheckoutService::Service {
 public:
  CheckoutService(ServerRuntime& runtime, CheckoutBackends backends);

  grpc::Status PlaceOrder(grpc::ServerContext* context,
                          const hipstershop::PlaceOrderRequest* request,
                          hipstershop::PlaceOrderResponse* response) override;

 private:
  ServerRuntime& runtime_;
  CheckoutBackends backends_;
  OrderSaga saga_;
};

// Reads the dependency addresses and call policies from `env`; errors name the variable.
stampede::Result<CheckoutBackends> checkout_backends_from_env(const Env& env);

GrpcServiceSpec checkout_service_spec();

}  // namespace shop
