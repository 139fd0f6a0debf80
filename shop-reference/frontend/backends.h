// Typed calls from the frontend to its gRPC backends, each through a resilient client
// (shop::Dependency: deadline, retries for idempotent reads, circuit breaker).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "demo.grpc.pb.h"
#include "orders.grpc.pb.h"
#include "shop-reference/common/dependency.h"
#include "shop-reference/frontend/frontend_config.h"

namespace shop {

// The result of one backend call (or of a chain of them): OK and a value, or the failing
// status with the backend that failed. A plain value.
template <class T>
struct Outcome {
  grpc::Status status;
  T value{};
  std::string dependency;  // the failing backend's name ("cart"), "" when the frontend failed
  int retry_after_s = 0;   // > 0 when that backend's circuit breaker is open: retry after this

  bool ok() const { return status.ok(); }
  // The same failure carrying another value type, to pass it up a call chain.
  template <class U>
  Outcome<U> fail_as() const {
    Outcome<U> out;
    out.status = status;
    out.dependency = dependency;
    out.retry_after_s = retry_after_s;
    return out;
  }
};

// A successful Outcome.
template <class T>
Outcome<T> succeeded(T value) {
  Outcome<T> out;
  out.value = std::move(value);
  return out;
}

// A failed Outcome; `dependency` names the backend ("" for the frontend itself).
template <class T>
Outcome<T> failed(grpc::Status status, std::string dependency) {
  Outcome<T> out;
  out.status = std::move(status);
  out.dependency = std::move(dependency);
  return out;
}

// Owns one client per configured backend; ad() and recommendation() are optional and absent
// when their address is empty. Thread-safe (each call has its own context).
class Backends {
 public:
  explicit Backends(const FrontendConfig& config);
  Backends(const Backends&) = delete;
  Backends& operator=(const Backends&) = delete;

  bool has_ad() const { return ad_ != nullptr; }
  bool has_recommendation() const { return recommendation_ != nullptr; }
  // The required backends, for the readiness check.
  std::vector<Dependency*> required();

  // Every call below returns the backend's status; NOT_FOUND and INVALID_ARGUMENT are answers
  // of a working backend, UNAVAILABLE/DEADLINE_EXCEEDED/... mean it failed.
  Outcome<std::vector<hipstershop::Product>> list_products();
  Outcome<hipstershop::Product> get_product(const std::string& id);
  Outcome<std::vector<std::string>> supported_currencies();
  Outcome<hipstershop::Money> convert(const hipstershop::Money& from, const std::string& to);
  Outcome<hipstershop::Cart> get_cart(const std::string& user_id);
  // Not idempotent: never retried.
  Outcome<bool> add_item(const std::string& user_id, const std::string& product_id,
                         int32_t quantity);
  Outcome<bool> empty_cart(const std::string& user_id);
  Outcome<hipstershop::Money> shipping_quote(const std::vector<hipstershop::CartItem>& items);
  // Not idempotent: never retried.
  Outcome<hipstershop::OrderResult> place_order(const hipstershop::PlaceOrderRequest& request);
  // FAILED_PRECONDITION without calling when the backend is not configured.
  Outcome<std::vector<std::string>> recommendations(const std::string& user_id,
                                                    const std::vector<std::string>& product_ids);
  Outcome<std::vector<hipstershop::Ad>> ads(const std::vector<std::string>& context_keys);
  Outcome<std::vector<hipstershop::Order>> list_orders(const std::string& user_id);
  Outcome<hipstershop::Order> get_order(const std::string& order_id, const std::string& user_id);
  // Not retried: a retry after a lost answer would report the finished cancel as a conflict.
  Outcome<hipstershop::Order> cancel_order(const std::string& order_id, const std::string& user_id);

 private:
  // One client with its policy (kept for Retry-After).
  struct Client {
    Client(std::string name, const BackendConfig& config);
    Dependency dependency;
    CallPolicy policy;
  };

  template <class T, class Fn>
  Outcome<T> run(Client& client, const char* method, bool idempotent, Fn&& fn);

  Client catalog_, currency_, cart_, shipping_, checkout_, orders_;
  std::unique_ptr<Client> ad_, recommendation_;
  std::unique_ptr<hipstershop::ProductCatalogService::Stub> catalog_stub_;
  std::unique_ptr<hipstershop::CurrencyService::Stub> currency_stub_;
  std::unique_ptr<hipstershop::CartService::Stub> cart_stub_;
  std::unique_ptr<hipstershop::ShippingService::Stub> shipping_stub_;
  std::unique_ptr<hipstershop::CheckoutService::Stub> checkout_stub_;
  std::unique_ptr<hipstershop::OrderService::Stub> orders_stub_;
  std::unique_ptr<hipstershop::AdService::Stub> ad_stub_;
  std::unique_ptr<hipstershop::RecommendationService::Stub> recommendation_stub_;
};

}  // namespace shop
