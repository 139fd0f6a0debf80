#include "shop-reference/orders/orders_service.h"

namespace shop {

OrdersService::OrdersService(ServerRuntime& runtime, std::unique_ptr<OrderStore> store,
                             std::unique_ptr<OrderCompensation> compensation,
                             std::chrono::milliseconds recovery_interval,
                             std::chrono::milliseconds recovery_after)
    : runtime_(runtime),
      store_(std::move(store)),
      compensation_(std::move(compensation)),
      recovery_(std::make_unique<OrderRecovery>(*store_, *compensation_, recovery_interval,
                                                recovery_after)) {}

grpc::Status OrdersService::BeginOrder(grpc::ServerContext* context,
                                       const hipstershop::BeginOrderRequest* request,
                                       hipstershop::Order* response) {
  return runtime_.serve(context, "BeginOrder", [&] {
    auto order = store_->begin(*request);
    if (!order.ok()) return to_grpc_status(order.error());
    *response = std::move(order.value());
    return grpc::Status::OK;
  });
}

grpc::Status OrdersService::AdvanceOrder(grpc::ServerContext* context,
                                         const hipstershop::AdvanceOrderRequest* request,
                                         hipstershop::Order* response) {
  return runtime_.serve(context, "AdvanceOrder", [&] {
    auto order = store_->advance(*request);
    if (!order.ok()) return to_grpc_status(order.error());
    *response = std::move(order.value());
    return grpc::Status::OK;
  });
}

grpc::Status OrdersService::GetOrder(grpc::ServerContext* context,
                                     const hipstershop::GetOrderRequest* request,
                                     hipstershop::Order* response) {
  return runtime_.serve(context, "GetOrder", [&] {
    if (request->order_id().empty()) {
      return grpc::Status(grpc::INVALID_ARGUMENT, "order_id is required");
    }
    auto order = store_->get(request->order_id());
    if (!order.ok()) return to_grpc_status(order.error());
    if (!request->user_id().empty() && order.value().user_id() != request->user_id()) {
      return grpc::Status(grpc::NOT_FOUND, "order " + request->order_id() + " not found");
    }
    *response = std::move(order.value());
    return grpc::Status::OK;
  });
}

grpc::Status OrdersService::ListOrders(grpc::ServerContext* context,
                                       const hipstershop::ListOrdersRequest* request,
                                       hipstershop::ListOrdersResponse* response) {
  return runtime_.serve(context, "ListOrders", [&] {
    if (request->user_id().empty()) {
      return grpc::Status(grpc::INVALID_ARGUMENT, "user_id is required");
    }
    auto orders = store_->list_by_user(request->user_id());
    if (!orders.ok()) return to_grpc_status(orders.error());
    for (auto& o : orders.value()) *response->add_orders() = std::move(o);
    return grpc::Status::OK;
  });
}

grpc::Status OrdersService::CancelOrder(grpc::ServerContext* context,
                                        const hipstershop::CancelOrderRequest* request,
                                        hipstershop::Order* response) {
  return runtime_.serve(context, "CancelOrder", [&] {
    return compensation_->cancel(request->order_id(), request->user_id(), request->reason(),
                                 response);
  });
}

GrpcServiceSpec orders_service_spec() {
  GrpcServiceSpec spec;
  spec.name = "orders";
  spec.default_port = 50052;
  spec.build = [](const Env& env, ServerRuntime& runtime) -> stampede::Result<BuiltServices> {
    auto payment_addr = env.required("PAYMENT_SERVICE_ADDR", "host:port of the payment service");
    if (!payment_addr.ok()) return payment_addr.error();
    auto shipping_addr = env.required("SHIPPING_SERVICE_ADDR", "host:port of the shipping service");
    if (!shipping_addr.ok()) return shipping_addr.error();
    auto payment_policy = call_policy_from_env(env, "PAYMENT");
    if (!payment_policy.ok()) return payment_policy.error();
    auto shipping_policy = call_policy_from_env(env, "SHIPPING");
    if (!shipping_policy.ok()) return shipping_policy.error();
    auto interval = env.millis("ORDER_RECOVERY_INTERVAL_MS", std::chrono::milliseconds(5000));
    if (!interval.ok()) return interval.error();
    auto after = env.millis("ORDER_RECOVERY_AFTER_MS", std::chrono::milliseconds(60000));
    if (!after.ok()) return after.error();
    if (interval.value().count() == 0) {
      return stampede::Error("environment ORDER_RECOVERY_INTERVAL_MS: must be at least 1 ms");
    }
    std::string data_dir = env.string("SHOP_DATA_DIR", "shop-data");
    auto store = OrderStore::open(data_dir);
    if (!store.ok())
      return stampede::Error("SHOP_DATA_DIR " + data_dir + ": " + store.error().message());
    auto compensation = std::make_unique<OrderCompensation>(
        *store.value(),
        std::make_unique<Dependency>("payment", payment_addr.value(), payment_policy.value()),
        std::make_unique<Dependency>("shipping", shipping_addr.value(), shipping_policy.value()));
    BuiltServices built;
    built.services.push_back(std::make_unique<OrdersService>(runtime, std::move(store.value()),
                                                             std::move(compensation),
                                                             interval.value(), after.value()));
    built.health_names.push_back("hipstershop.OrderService");
    return built;
  };
  return spec;
}

}  // namespace shop
