// Test-only fakes of the frontend's backends: small in-memory implementations of the shop's
// gRPC services, each on its own server at 127.0.0.1:0 (so one can be stopped alone), each
// answering grpc.health.v1 Check with SERVING. Not the real services: they only do what the
// frontend's tests need. Thread-safe.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "demo.grpc.pb.h"
#include "health.grpc.pb.h"
#include "orders.grpc.pb.h"
#include "shop-reference/frontend/frontend_config.h"

namespace shop::testing {

// A status the fake answers instead of working, while set (OK: work normally).
class FailSwitch {
 public:
  void set(grpc::StatusCode code) { code_.store(code); }
  grpc::Status status(const char* who) const {
    auto code = code_.load();
    return code == grpc::OK ? grpc::Status::OK
                            : grpc::Status(code, std::string("fake ") + who + " failing");
  }

 private:
  std::atomic<grpc::StatusCode> code_{grpc::OK};
};

// Three products priced in USD; one has markup in its name (for the escaping tests).
class FakeCatalog final : public hipstershop::ProductCatalogService::Service {
 public:
  FakeCatalog();
  grpc::Status ListProducts(grpc::ServerContext*, const hipstershop::Empty*,
                            hipstershop::ListProductsResponse* response) override;
  grpc::Status GetProduct(grpc::ServerContext*, const hipstershop::GetProductRequest* request,
                          hipstershop::Product* response) override;
  std::map<std::string, hipstershop::Product> products;  // set before serving
  FailSwitch fail;
};

// USD, EUR (2 per USD), JPY (100 per USD) and XXX (not on the frontend's whitelist).
class FakeCurrency final : public hipstershop::CurrencyService::Service {
 public:
  grpc::Status GetSupportedCurrencies(grpc::ServerContext*, const hipstershop::Empty*,
                                      hipstershop::GetSupportedCurrenciesResponse* r) override;
  grpc::Status Convert(grpc::ServerContext*, const hipstershop::CurrencyConversionRequest* request,
                       hipstershop::Money* response) override;
  FailSwitch fail;
};

class FakeCart final : public hipstershop::CartService::Service {
 public:
  grpc::Status AddItem(grpc::ServerContext*, const hipstershop::AddItemRequest* request,
                       hipstershop::Empty*) override;
  grpc::Status GetCart(grpc::ServerContext*, const hipstershop::GetCartRequest* request,
                       hipstershop::Cart* response) override;
  grpc::Status EmptyCart(grpc::ServerContext*, const hipstershop::EmptyCartRequest* request,
                         hipstershop::Empty*) override;
  std::vector<hipstershop::CartItem> items(const std::string& user);
  FailSwitch fail;

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<hipstershop::CartItem>> carts_;  // guarded by mu_
};

// USD 8.99 for a non-empty cart, as the real one.
class FakeShipping final : public hipstershop::ShippingService::Service {
 public:
  grpc::Status GetQuote(grpc::ServerContext*, const hipstershop::GetQuoteRequest* request,
                        hipstershop::GetQuoteResponse* response) override;
  FailSwitch fail;
};

// Orders by id; CancelOrder moves PLACED to CANCELLED, anything else is FAILED_PRECONDITION.
class FakeOrders final : public hipstershop::OrderService::Service {
 public:
  grpc::Status GetOrder(grpc::ServerContext*, const hipstershop::GetOrderRequest* request,
                        hipstershop::Order* response) override;
  grpc::Status ListOrders(grpc::ServerContext*, const hipstershop::ListOrdersRequest* request,
                          hipstershop::ListOrdersResponse* response) override;
  grpc::Status CancelOrder(grpc::ServerContext*, const hipstershop::CancelOrderRequest* request,
                           hipstershop::Order* response) override;
  void put(const hipstershop::Order& order);
  FailSwitch fail;

 private:
  std::mutex mu_;
  std::map<std::string, hipstershop::Order> orders_;  // guarded by mu_
};

// Places the cart's items (prices from the catalog, in USD), empties the cart, records the
// order in FakeOrders. Card "4000000000000002" is declined (INVALID_ARGUMENT).
class FakeCheckout final : public hipstershop::CheckoutService::Service {
 public:
  FakeCheckout(FakeCatalog& catalog, FakeCart& cart, FakeOrders& orders)
      : catalog_(catalog), cart_(cart), orders_(orders) {}
  grpc::Status PlaceOrder(grpc::ServerContext*, const hipstershop::PlaceOrderRequest* request,
                          hipstershop::PlaceOrderResponse* response) override;
  hipstershop::PlaceOrderRequest last_request();
  FailSwitch fail;

 private:
  FakeCatalog& catalog_;
  FakeCart& cart_;
  FakeOrders& orders_;
  std::mutex mu_;
  int placed_ = 0;                       // guarded by mu_
  hipstershop::PlaceOrderRequest last_;  // guarded by mu_
};

class FakeAd final : public hipstershop::AdService::Service {
 public:
  grpc::Status GetAds(grpc::ServerContext*, const hipstershop::AdRequest* request,
                      hipstershop::AdResponse* response) override;
  FailSwitch fail;
};

// Recommends every catalog product not asked about.
class FakeRecommendation final : public hipstershop::RecommendationService::Service {
 public:
  explicit FakeRecommendation(FakeCatalog& catalog) : catalog_(catalog) {}
  grpc::Status ListRecommendations(grpc::ServerContext*,
                                   const hipstershop::ListRecommendationsRequest* request,
                                   hipstershop::ListRecommendationsResponse* response) override;
  FailSwitch fail;

 private:
  FakeCatalog& catalog_;
};

// SERVING, always.
class FakeHealth final : public grpc::health::v1::Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext*, const grpc::health::v1::HealthCheckRequest*,
                     grpc::health::v1::HealthCheckResponse* response) override;
};

// Every fake, each on its own server. Servers stop in the destructor (or stop_*() earlier).
class FakeShop {
 public:
  FakeShop();
  ~FakeShop();

  // Addresses of every fake; call policies without retries and with a 2 s deadline.
  FrontendConfig config() const;
  // Stops the cart's server (its health check then fails).
  void stop_cart();

  FakeCatalog catalog;
  FakeCurrency currency;
  FakeCart cart;
  FakeShipping shipping;
  FakeOrders orders;
  FakeCheckout checkout{catalog, cart, orders};
  FakeAd ad;
  FakeRecommendation recommendation{catalog};

 private:
  struct Running {
    std::unique_ptr<FakeHealth> health;  // a service is registered with one server only
    std::unique_ptr<grpc::Server> server;
    std::string address;
  };
  static Running serve(grpc::Service& service);

  Running catalog_, currency_, cart_, shipping_, orders_, checkout_, ad_, recommendation_;
};

}  // namespace shop::testing
