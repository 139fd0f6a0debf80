// hipstershop.CartService over a CartStore: in memory by default, Redis when REDIS_ADDR is set
// (then the service reports NOT_SERVING while Redis is unreachable); the `shop cart` process
// (port 7070).
#pragma once

#include <memory>

#include "demo.grpc.pb.h"
#include "shop-reference/cart/cart_store.h"
#include "shop-reference/common/grpc_host.h"

namespace shop {

// Thread-safe (the store is). The runtime must outlive it.
class CartService final : public hipstershop::CartService::Service {
 public:
  CartService(ServerRuntime& runtime, std::shared_ptr<CartStore> store)
      : runtime_(runtime), store_(std::move(store)) {}

  // INVALID_ARGUMENT for an empty user or product id or a quantity < 1; UNAVAILABLE when the
  // store is down.
  grpc::Status AddItem(grpc::ServerContext* context, const hipstershop::AddItemRequest* request,
                       hipstershop::Empty* response) override;
  grpc::Status GetCart(grpc::ServerContext* context, const hipstershop::GetCartRequest* request,
                       hipstershop::Cart* response) override;
  grpc::Status EmptyCart(grpc::ServerContext* context, const hipstershop::EmptyCartRequest* request,
                         hipstershop::Empty* response) override;

 private:
  ServerRuntime& runtime_;
  std::shared_ptr<CartStore> store_;
};

// The gRPC status for a store error.
grpc::Status to_grpc_status(const CartError& error);

GrpcServiceSpec cart_service_spec();

}  // namespace shop
