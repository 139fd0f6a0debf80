// Test support: the shop's backend services (every gRPC service but the frontend) served
// in-process on 127.0.0.1 ports picked by the kernel, wired to each other as the `shop` binary
// wires them, with per-service fault knobs, stubs and addresses, and storage in a private
// mkdtemp directory (payments.db, orders.db, outbox.jsonl) removed on destruction.
#pragma once

#include <grpcpp/grpcpp.h>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "demo.grpc.pb.h"
#include "health.grpc.pb.h"
#include "orders.grpc.pb.h"
#include "shop-reference/common/dependency.h"
#include "shop-reference/common/server_runtime.h"
#include "shop-reference/orders/clock.h"
#include "shop-reference/orders/order_compensation.h"
#include "shop-reference/orders/order_recovery.h"
#include "shop-reference/orders/order_store.h"
#include "shop-reference/orders/test_temp_dir.h"

namespace shop::testing {

// A grpc::Server on 127.0.0.1 with a kernel-chosen port, for services owned by the caller (they
// must outlive it). Shut down (in-flight calls cut after a short grace) and joined on destruction.
// Not thread-safe; use from the test thread.
class TestGrpcServer {
 public:
  // Serves `services` (not owned). Error when no port could be bound or the server did not start.
  static stampede::Result<std::unique_ptr<TestGrpcServer>> start(
      const std::vector<grpc::Service*>& services);
  ~TestGrpcServer();
  TestGrpcServer(const TestGrpcServer&) = delete;
  TestGrpcServer& operator=(const TestGrpcServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:<port>".
  std::string address() const;
  // Stops accepting calls; calls still running after `grace` are cancelled. Idempotent.
  void shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

 private:
  TestGrpcServer(std::unique_ptr<grpc::Server> server, int port)
      : server_(std::move(server)), port_(port) {}

  std::unique_ptr<grpc::Server> server_;
  int port_;
  bool down_ = false;
};

// The services InProcessShop runs, in start order (dependencies first).
enum class ShopService {
  kProductCatalog,
  kCurrency,
  kCart,
  kShipping,
  kPayment,
  kEmail,
  kOrders,
  kCheckout,
  kAd,
  kRecommendation,
};
inline constexpr int kShopServiceCount = 10;

// "productcatalog", "currency", ... as the `shop` binary names them (also the runtime's name).
const char* shop_service_name(ShopService service);
// The fully qualified gRPC name the service's health check answers for, e.g.
// "hipstershop.CartService".
const char* shop_service_grpc_name(ShopService service);

// A policy for clients in tests: 5 s deadline, no retries, 10 ms backoff, breaker off, so a fault
// shows up in the first call and repeated failures never open a breaker by accident.
CallPolicy test_call_policy();

struct InProcessShopOptions {
  // The policy of every client dependency inside the shop (checkout's, the order service's and
  // the recommendation service's), unless `policies` overrides it.
  CallPolicy policy = test_call_policy();
  // Overrides by (client, dependency), e.g. {ShopService::kCheckout, ShopService::kPayment}.
  std::map<std::pair<ShopService, ShopService>, CallPolicy> policies;
  // The order service's own recovery loop. The 1 h interval keeps it out of the tests' way; tests
  // drive recovery with OrdersReplica::recovery().run_once().
  std::chrono::milliseconds recovery_interval{std::chrono::hours(1)};
  std::chrono::milliseconds recovery_after{std::chrono::minutes(1)};
};

// The backend shop in this process: each service on its own server and port, with its own
// ServerRuntime (fault knobs) and grpc.health.v1. Carts live in memory. Owns everything; on
// destruction every runtime begins shutting down (releasing hung requests), the servers stop in
// reverse start order and the data directory is removed. Stubs are thread-safe; the rest is for
// the test thread.
class InProcessShop {
 public:
  // Starts every service. Errors name the service or the storage that failed.
  static stampede::Result<std::unique_ptr<InProcessShop>> start(InProcessShopOptions options = {});
  ~InProcessShop();
  InProcessShop(const InProcessShop&) = delete;
  InProcessShop& operator=(const InProcessShop&) = delete;

  // The directory holding payments.db, orders.db and outbox.jsonl.
  const std::string& data_dir() const { return dir_.path(); }
  // The email service's outbox file.
  std::string outbox_path() const { return dir_.path() + "/outbox.jsonl"; }

  // The service's fault knobs, readiness and shutdown flag.
  ServerRuntime& runtime(ShopService service);
  // Shorthand for runtime(service).faults().set(spec).
  void set_faults(ShopService service, const FaultSpec& spec);
  // "127.0.0.1:<port>" of the service.
  std::string address(ShopService service) const;
  // A channel of its own to the service (not shared with the stubs below).
  std::shared_ptr<grpc::Channel> channel(ShopService service) const;
  // A resilient client to the service, as the shop's services make them.
  std::unique_ptr<Dependency> dependency(ShopService service,
                                         CallPolicy policy = test_call_policy()) const;

  hipstershop::ProductCatalogService::Stub& catalog() { return *catalog_; }
  hipstershop::CurrencyService::Stub& currency() { return *currency_; }
  hipstershop::CartService::Stub& cart() { return *cart_; }
  hipstershop::ShippingService::Stub& shipping() { return *shipping_; }
  hipstershop::PaymentService::Stub& payment() { return *payment_; }
  hipstershop::EmailService::Stub& email() { return *email_; }
  hipstershop::OrderService::Stub& orders() { return *orders_; }
  hipstershop::CheckoutService::Stub& checkout() { return *checkout_; }
  hipstershop::AdService::Stub& ad() { return *ad_; }
  hipstershop::RecommendationService::Stub& recommendation() { return *recommendation_; }
  // grpc.health.v1 on the service's port.
  grpc::health::v1::Health::Stub& health(ShopService service);

 private:
  struct Node;  // one service: runtime, service objects, server, health stub
  InProcessShop();
  stampede::Status start_all(const InProcessShopOptions& options);
  stampede::Status serve(ShopService service, std::vector<std::unique_ptr<grpc::Service>> owned);
  std::unique_ptr<Dependency> client(const InProcessShopOptions& options, ShopService from,
                                     ShopService to) const;
  Node& node(ShopService service) { return *nodes_[static_cast<int>(service)]; }
  const Node& node(ShopService service) const { return *nodes_[static_cast<int>(service)]; }

  TempDir dir_;  // declared first: removed after every service has stopped
  std::array<std::unique_ptr<Node>, kShopServiceCount> nodes_;
  std::unique_ptr<hipstershop::ProductCatalogService::Stub> catalog_;
  std::unique_ptr<hipstershop::CurrencyService::Stub> currency_;
  std::unique_ptr<hipstershop::CartService::Stub> cart_;
  std::unique_ptr<hipstershop::ShippingService::Stub> shipping_;
  std::unique_ptr<hipstershop::PaymentService::Stub> payment_;
  std::unique_ptr<hipstershop::EmailService::Stub> email_;
  std::unique_ptr<hipstershop::OrderService::Stub> orders_;
  std::unique_ptr<hipstershop::CheckoutService::Stub> checkout_;
  std::unique_ptr<hipstershop::AdService::Stub> ad_;
  std::unique_ptr<hipstershop::RecommendationService::Stub> recommendation_;
};

// What a second replica of the order service would hold: its own OrderStore on the shop's
// orders.db, an OrderCompensation talking to the shop's payment and shipping, and an OrderRecovery
// (its loop idle for an hour; call run_once()). `clock` stamps this store's writes, so a test can
// create orders that look old. Destroyed recovery first. Thread-safe as its parts are.
class OrdersReplica {
 public:
  static stampede::Result<std::unique_ptr<OrdersReplica>> open(
      const InProcessShop& shop, std::chrono::milliseconds recovery_after,
      Clock clock = system_clock_ms, CallPolicy policy = test_call_policy());

  OrderStore& store() { return *store_; }
  OrderCompensation& compensation() { return *compensation_; }
  OrderRecovery& recovery() { return *recovery_; }

 private:
  OrdersReplica() = default;

  std::unique_ptr<OrderStore> store_;
  std::unique_ptr<OrderCompensation> compensation_;
  std::unique_ptr<OrderRecovery> recovery_;  // declared last: stopped first
};

// A Luhn-valid VISA number that does not expire before 2099 (Online Boutique's load generator's).
hipstershop::CreditCardInfo valid_card();
// A PlaceOrderRequest that validates: `user`, `currency`, an address, an email and valid_card().
hipstershop::PlaceOrderRequest place_order_request(const std::string& user,
                                                   const std::string& currency);
// Runs `fn(grpc::ClientContext*) -> grpc::Status` with a fresh context whose deadline is
// `deadline` from now, so no test call can wait forever.
template <class Fn>
grpc::Status call_rpc(Fn&& fn, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  return fn(&context);
}

// Adds each (product id, quantity) to the user's cart through the cart service; the first
// failure is returned.
grpc::Status fill_cart(InProcessShop& shop, const std::string& user,
                       const std::vector<std::pair<std::string, int>>& items);

}  // namespace shop::testing
