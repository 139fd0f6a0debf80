#include "shop-reference/frontend/frontend_config.h"

namespace shop {

stampede::Result<FrontendConfig> frontend_config_from_env(const Env& env) {
  FrontendConfig config;
  struct Wanted {
    const char* prefix;  // of the *_SERVICE_ADDR variable and of the call policy variables
    const char* name;    // for the error message
    bool required;
    BackendConfig* slot;
  } wanted[] = {
      {"PRODUCT_CATALOG", "product catalog", true, &config.catalog},
      {"CURRENCY", "currency", true, &config.currency},
      {"CART", "cart", true, &config.cart},
      {"SHIPPING", "shipping", true, &config.shipping},
      {"CHECKOUT", "checkout", true, &config.checkout},
      {"ORDER", "order", true, &config.orders},
      {"AD", "ad", false, &config.ad},
      {"RECOMMENDATION", "recommendation", false, &config.recommendation},
  };
  for (const auto& w : wanted) {
    std::string var = prefixed(w.prefix, "SERVICE_ADDR");
    if (w.required) {
      auto address = env.required(var, std::string("host:port of the ") + w.name + " service");
      if (!address.ok()) return address.error();
      w.slot->address = address.value();
    } else {
      w.slot->address = env.string(var, "");
    }
    auto policy = call_policy_from_env(env, w.prefix);
    if (!policy.ok()) return policy.error();
    w.slot->policy = policy.value();
  }
  auto threads = env.integer("FRONTEND_HANDLER_THREADS", config.handler_threads, 1, 4096);
  if (!threads.ok()) return threads.error();
  config.handler_threads = static_cast<unsigned>(threads.value());
  auto deadline = env.millis("FRONTEND_READY_DEADLINE_MS", config.ready_deadline, 60'000);
  if (!deadline.ok()) return deadline.error();
  if (deadline.value().count() == 0) {
    return stampede::Error("environment FRONTEND_READY_DEADLINE_MS: must be at least 1 ms");
  }
  config.ready_deadline = deadline.value();
  auto cache = env.millis("FRONTEND_READY_CACHE_MS", config.ready_cache, 60'000);
  if (!cache.ok()) return cache.error();
  config.ready_cache = cache.value();
  return config;
}

}  // namespace shop
