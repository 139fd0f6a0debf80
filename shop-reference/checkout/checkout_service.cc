#include "shop-reference/checkout/checkout_service.h"

namespace shop {

CheckoutService::CheckoutService(ServerRuntime& runtime, CheckoutBackends backends)
    : runtime_(runtime), backends_(std::move(backends)), saga_(backends_) {}

grpc::Status CheckoutService::PlaceOrder(grpc::ServerContext* context,
                                         const hipstershop::PlaceOrderRequest* request,
                                         hipstershop::PlaceOrderResponse* response) {
  return runtime_.serve(context, "PlaceOrder", [&] { return saga_.place(*request, response); });
}

stampede::Result<CheckoutBackends> checkout_backends_from_env(const Env& env) {
  CheckoutBackends b;
  struct Wanted {
    const char* prefix;
    const char* name;
    std::unique_ptr<Dependency>* slot;
  } wanted[] = {
      {"PRODUCT_CATALOG", "productcatalog", &b.catalog},
      {"CURRENCY", "currency", &b.currency},
      {"CART", "cart", &b.cart},
      {"SHIPPING", "shipping", &b.shipping},
      {"PAYMENT", "payment", &b.payment},
      {"EMAIL", "email", &b.email},
      {"ORDER", "orders", &b.orders},
  };
  for (const auto& w : wanted) {
    std::string var = prefixed(w.prefix, "SERVICE_ADDR");
    auto address = env.required(var, std::string("host:port of the ") + w.name + " service");
    if (!address.ok()) return address.error();
    auto policy = call_policy_from_env(env, w.prefix);
    if (!policy.ok()) return policy.error();
    *w.slot = std::make_unique<Dependency>(w.name, address.value(), policy.value());
  }
  return b;
}

GrpcServiceSpec checkout_service_spec() {
  GrpcServiceSpec spec;
  spec.name = "checkout";
  spec.default_port = 5050;
  spec.build = [](const Env& env, ServerRuntime& runtime) -> stampede::Result<BuiltServices> {
    auto backends = checkout_backends_from_env(env);
    if (!backends.ok()) return backends.error();
    BuiltServices built;
    built.services.push_back(
        std::make_unique<CheckoutService>(runtime, std::move(backends.value())));
    built.health_names.push_back("hipstershop.CheckoutService");
    return built;
  };
  return spec;
}

}  // namespace shop
