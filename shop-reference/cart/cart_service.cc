#include "shop-reference/cart/cart_service.h"

#include "shop-reference/cart/memory_cart_store.h"
#include "shop-reference/cart/redis_cart_store.h"
#include "shop-reference/common/log.h"

namespace shop {

grpc::Status to_grpc_status(const CartError& error) {
  switch (error.kind()) {
    case CartErrorKind::kInvalidArgument:
      return grpc::Status(grpc::INVALID_ARGUMENT, error.message());
    case CartErrorKind::kUnavailable:
      return grpc::Status(grpc::UNAVAILABLE, error.message());
    case CartErrorKind::kInternal:
      return grpc::Status(grpc::INTERNAL, error.message());
  }
  return grpc::Status(grpc::INTERNAL, error.message());
}

grpc::Status CartService::AddItem(grpc::ServerContext* context,
                                  const hipstershop::AddItemRequest* request, hipstershop::Empty*) {
  return runtime_.serve(context, "AddItem", [&] {
    CartStatus s = store_->add_item(request->user_id(), request->item().product_id(),
                                    request->item().quantity());
    return s.ok() ? grpc::Status::OK : to_grpc_status(s.error());
  });
}

grpc::Status CartService::GetCart(grpc::ServerContext* context,
                                  const hipstershop::GetCartRequest* request,
                                  hipstershop::Cart* response) {
  return runtime_.serve(context, "GetCart", [&] {
    auto lines = store_->get_cart(request->user_id());
    if (!lines.ok()) return to_grpc_status(lines.error());
    response->set_user_id(request->user_id());
    for (const auto& line : lines.value()) {
      auto* item = response->add_items();
      item->set_product_id(line.product_id);
      item->set_quantity(line.quantity);
    }
    return grpc::Status::OK;
  });
}

grpc::Status CartService::EmptyCart(grpc::ServerContext* context,
                                    const hipstershop::EmptyCartRequest* request,
                                    hipstershop::Empty*) {
  return runtime_.serve(context, "EmptyCart", [&] {
    CartStatus s = store_->empty_cart(request->user_id());
    return s.ok() ? grpc::Status::OK : to_grpc_status(s.error());
  });
}

GrpcServiceSpec cart_service_spec() {
  GrpcServiceSpec spec;
  spec.name = "cart";
  spec.default_port = 7070;
  spec.build = [](const Env& env, ServerRuntime& runtime) -> stampede::Result<BuiltServices> {
    std::shared_ptr<CartStore> store;
    if (auto redis = env.raw("REDIS_ADDR")) {
      auto addr = parse_redis_addr(*redis);
      if (!addr.ok()) return addr.error().with_context("environment REDIS_ADDR");
      store = std::make_shared<RedisCartStore>(addr.value());
      log_info("carts in Redis at " + *redis);
    } else {
      store = std::make_shared<MemoryCartStore>();
      log_info("carts in memory (set REDIS_ADDR for Redis)");
    }
    // Readiness follows the store: a cart service without its Redis is not serving.
    runtime.set_readiness_check([store] { return store->healthy(); });
    BuiltServices built;
    built.services.push_back(std::make_unique<CartService>(runtime, store));
    built.health_names.push_back("hipstershop.CartService");
    return built;
  };
  return spec;
}

}  // namespace shop
