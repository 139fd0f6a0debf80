// The frontend's configuration: where its backends are, how it calls them, and how it serves.
// Read from the environment by run_frontend; built directly by tests.
#pragma once

#include <chrono>
#include <string>

#include "common/result.h"
#include "shop-reference/common/dependency.h"
#include "shop-reference/common/env.h"

namespace shop {

// One backend: its address ("" = not configured; only optional backends may be) and the call
// policy of its client (deadline, retries, circuit breaker).
struct BackendConfig {
  std::string address;
  CallPolicy policy;
};

// A plain value. The six required backends must have an address; ad and recommendation are
// optional (their page parts are left out when unset).
struct FrontendConfig {
  BackendConfig catalog;         // PRODUCT_CATALOG_SERVICE_ADDR, PRODUCT_CATALOG_*
  BackendConfig currency;        // CURRENCY_SERVICE_ADDR, CURRENCY_*
  BackendConfig cart;            // CART_SERVICE_ADDR, CART_*
  BackendConfig shipping;        // SHIPPING_SERVICE_ADDR, SHIPPING_*
  BackendConfig checkout;        // CHECKOUT_SERVICE_ADDR, CHECKOUT_*
  BackendConfig orders;          // ORDER_SERVICE_ADDR, ORDER_*
  BackendConfig ad;              // AD_SERVICE_ADDR (optional), AD_*
  BackendConfig recommendation;  // RECOMMENDATION_SERVICE_ADDR (optional), RECOMMENDATION_*

  unsigned handler_threads = 64;  // FRONTEND_HANDLER_THREADS: blocking handlers run here
  // FRONTEND_READY_DEADLINE_MS: deadline of each backend health check behind /readyz.
  std::chrono::milliseconds ready_deadline{500};
  // FRONTEND_READY_CACHE_MS: how long a /readyz answer is reused (0: check on every probe).
  std::chrono::milliseconds ready_cache{1000};
};

// Reads the variables above. Errors name the variable, e.g. "environment CART_SERVICE_ADDR:
// required but not set (host:port of the cart service)".
stampede::Result<FrontendConfig> frontend_config_from_env(const Env& env);

}  // namespace shop
