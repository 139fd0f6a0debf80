#include "shop-reference/common/testing/inprocess_shop.h"

#include <set>

#include "shop-reference/ad/ad_service.h"
#include "shop-reference/cart/cart_service.h"
#include "shop-reference/cart/memory_cart_store.h"
#include "shop-reference/checkout/checkout_service.h"
#include "shop-reference/common/health_service.h"
#include "shop-reference/currency/currency_service.h"
#include "shop-reference/email/email_service.h"
#include "shop-reference/orders/orders_service.h"
#include "shop-reference/payment/ledger.h"
#include "shop-reference/payment/payment_service.h"
#include "shop-reference/productcatalog/productcatalog_service.h"
#include "shop-reference/recommendation/recommendation_service.h"
#include "shop-reference/shipping/shipping_service.h"

namespace shop::testing {
namespace {

using stampede::Error;

constexpr ShopService kAll[kShopServiceCount] = {
    ShopService::kProductCatalog, ShopService::kCurrency, ShopService::kCart,
    ShopService::kShipping,       ShopService::kPayment,  ShopService::kEmail,
    ShopService::kOrders,         ShopService::kCheckout, ShopService::kAd,
    ShopService::kRecommendation,
};

std::shared_ptr<grpc::Channel> open_channel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

}  // namespace

// ---- TestGrpcServer ----

stampede::Result<std::unique_ptr<TestGrpcServer>> TestGrpcServer::start(
    const std::vector<grpc::Service*>& services) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  for (grpc::Service* s : services) builder.RegisterService(s);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Error("test grpc server: could not listen on 127.0.0.1:0");
  }
  return std::unique_ptr<TestGrpcServer>(new TestGrpcServer(std::move(server), port));
}

TestGrpcServer::~TestGrpcServer() {
  shutdown();
}

std::string TestGrpcServer::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

void TestGrpcServer::shutdown(std::chrono::milliseconds grace) {
  if (down_) return;
  down_ = true;
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
}

// ---- names and defaults ----

const char* shop_service_name(ShopService service) {
  switch (service) {
    case ShopService::kProductCatalog:
      return "productcatalog";
    case ShopService::kCurrency:
      return "currency";
    case ShopService::kCart:
      return "cart";
    case ShopService::kShipping:
      return "shipping";
    case ShopService::kPayment:
      return "payment";
    case ShopService::kEmail:
      return "email";
    case ShopService::kOrders:
      return "orders";
    case ShopService::kCheckout:
      return "checkout";
    case ShopService::kAd:
      return "ad";
    case ShopService::kRecommendation:
      return "recommendation";
  }
  return "unknown";
}

const char* shop_service_grpc_name(ShopService service) {
  switch (service) {
    case ShopService::kProductCatalog:
      return "hipstershop.ProductCatalogService";
    case ShopService::kCurrency:
      return "hipstershop.CurrencyService";
    case ShopService::kCart:
      return "hipstershop.CartService";
    case ShopService::kShipping:
      return "hipstershop.ShippingService";
    case ShopService::kPayment:
      return "hipstershop.PaymentService";
    case ShopService::kEmail:
      return "hipstershop.EmailService";
    case ShopService::kOrders:
      return "hipstershop.OrderService";
    case ShopService::kCheckout:
      return "hipstershop.CheckoutService";
    case ShopService::kAd:
      return "hipstershop.AdService";
    case ShopService::kRecommendation:
      return "hipstershop.RecommendationService";
  }
  return "unknown";
}

CallPolicy test_call_policy() {
  CallPolicy p;
  p.deadline = std::chrono::milliseconds(5000);
  p.retries = 0;
  p.backoff = std::chrono::milliseconds(10);
  p.breaker.enabled = false;
  p.breaker.consecutive_failures = 0;
  return p;
}

// ---- InProcessShop ----

struct InProcessShop::Node {
  explicit Node(ShopService s) : runtime(shop_service_name(s)) {}

  ServerRuntime runtime;
  std::vector<std::unique_ptr<grpc::Service>> services;  // the service and its health service
  std::unique_ptr<TestGrpcServer> server;
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
};

InProcessShop::InProcessShop() {
  for (ShopService s : kAll) nodes_[static_cast<int>(s)] = std::make_unique<Node>(s);
}

InProcessShop::~InProcessShop() {
  // Hung or delayed requests end as soon as their runtime shuts down, so no server waits on one.
  for (auto& n : nodes_) n->runtime.begin_shutdown();
  // Callers first (checkout calls everything), so no handler calls a service already gone.
  for (int i = kShopServiceCount - 1; i >= 0; --i) {
    if (nodes_[i]->server) nodes_[i]->server->shutdown();
  }
  // Services (the order service's recovery thread among them) go before their runtimes.
  for (int i = kShopServiceCount - 1; i >= 0; --i) nodes_[i]->services.clear();
}

stampede::Result<std::unique_ptr<InProcessShop>> InProcessShop::start(
    InProcessShopOptions options) {
  std::unique_ptr<InProcessShop> shop(new InProcessShop());
  if (shop->dir_.path().empty()) return Error("in-process shop: mkdtemp failed");
  if (auto s = shop->start_all(options); !s.ok()) return s.error();
  return shop;
}

stampede::Status InProcessShop::serve(ShopService service,
                                      std::vector<std::unique_ptr<grpc::Service>> owned) {
  Node& n = node(service);
  n.services = std::move(owned);
  n.services.push_back(std::make_unique<HealthService>(
      n.runtime, std::set<std::string>{shop_service_grpc_name(service)}));
  std::vector<grpc::Service*> raw;
  for (auto& s : n.services) raw.push_back(s.get());
  auto server = TestGrpcServer::start(raw);
  if (!server.ok()) return server.error().with_context(shop_service_name(service));
  n.server = std::move(server.value());
  n.health = grpc::health::v1::Health::NewStub(open_channel(n.server->address()));
  return {};
}

std::unique_ptr<Dependency> InProcessShop::client(const InProcessShopOptions& options,
                                                  ShopService from, ShopService to) const {
  auto it = options.policies.find({from, to});
  return std::make_unique<Dependency>(shop_service_name(to), address(to),
                                      it != options.policies.end() ? it->second : options.policy);
}

stampede::Status InProcessShop::start_all(const InProcessShopOptions& options) {
  using S = ShopService;
  auto one = [](std::unique_ptr<grpc::Service> s) {
    std::vector<std::unique_ptr<grpc::Service>> v;
    v.push_back(std::move(s));
    return v;
  };
  stampede::Status s = serve(S::kProductCatalog, one(std::make_unique<ProductCatalogService>(
                                                     node(S::kProductCatalog).runtime, Catalog())));
  if (s.ok())
    s = serve(S::kCurrency, one(std::make_unique<CurrencyService>(node(S::kCurrency).runtime)));
  if (s.ok()) {
    s = serve(S::kCart, one(std::make_unique<CartService>(node(S::kCart).runtime,
                                                          std::make_shared<MemoryCartStore>())));
  }
  if (s.ok())
    s = serve(S::kShipping, one(std::make_unique<ShippingService>(node(S::kShipping).runtime)));
  if (!s.ok()) return s;

  auto ledger = Ledger::open(data_dir());
  if (!ledger.ok()) return Error("payments.db: " + ledger.error().message());
  s = serve(S::kPayment, one(std::make_unique<PaymentService>(node(S::kPayment).runtime,
                                                              std::move(ledger.value()))));
  if (!s.ok()) return s;

  auto email = EmailService::open(node(S::kEmail).runtime, outbox_path());
  if (!email.ok()) return email.error();
  s = serve(S::kEmail, one(std::move(email.value())));
  if (!s.ok()) return s;

  auto store = OrderStore::open(data_dir());
  if (!store.ok()) return Error("orders.db: " + store.error().message());
  auto compensation =
      std::make_unique<OrderCompensation>(*store.value(), client(options, S::kOrders, S::kPayment),
                                          client(options, S::kOrders, S::kShipping));
  s = serve(S::kOrders,
            one(std::make_unique<OrdersService>(node(S::kOrders).runtime, std::move(store.value()),
                                                std::move(compensation), options.recovery_interval,
                                                options.recovery_after)));
  if (!s.ok()) return s;

  CheckoutBackends backends;
  backends.catalog = client(options, S::kCheckout, S::kProductCatalog);
  backends.currency = client(options, S::kCheckout, S::kCurrency);
  backends.cart = client(options, S::kCheckout, S::kCart);
  backends.shipping = client(options, S::kCheckout, S::kShipping);
  backends.payment = client(options, S::kCheckout, S::kPayment);
  backends.email = client(options, S::kCheckout, S::kEmail);
  backends.orders = client(options, S::kCheckout, S::kOrders);
  s = serve(S::kCheckout, one(std::make_unique<CheckoutService>(node(S::kCheckout).runtime,
                                                                std::move(backends))));
  if (s.ok()) s = serve(S::kAd, one(std::make_unique<AdService>(node(S::kAd).runtime)));
  if (s.ok()) {
    s = serve(S::kRecommendation, one(std::make_unique<RecommendationService>(
                                      node(S::kRecommendation).runtime,
                                      client(options, S::kRecommendation, S::kProductCatalog))));
  }
  if (!s.ok()) return s;

  catalog_ = hipstershop::ProductCatalogService::NewStub(channel(S::kProductCatalog));
  currency_ = hipstershop::CurrencyService::NewStub(channel(S::kCurrency));
  cart_ = hipstershop::CartService::NewStub(channel(S::kCart));
  shipping_ = hipstershop::ShippingService::NewStub(channel(S::kShipping));
  payment_ = hipstershop::PaymentService::NewStub(channel(S::kPayment));
  email_ = hipstershop::EmailService::NewStub(channel(S::kEmail));
  orders_ = hipstershop::OrderService::NewStub(channel(S::kOrders));
  checkout_ = hipstershop::CheckoutService::NewStub(channel(S::kCheckout));
  ad_ = hipstershop::AdService::NewStub(channel(S::kAd));
  recommendation_ = hipstershop::RecommendationService::NewStub(channel(S::kRecommendation));
  return {};
}

ServerRuntime& InProcessShop::runtime(ShopService service) {
  return node(service).runtime;
}

void InProcessShop::set_faults(ShopService service, const FaultSpec& spec) {
  runtime(service).faults().set(spec);
}

std::string InProcessShop::address(ShopService service) const {
  const Node& n = node(service);
  // A service not started yet has no port; its callers are only built after it is.
  return n.server ? n.server->address() : std::string("127.0.0.1:0");
}

std::shared_ptr<grpc::Channel> InProcessShop::channel(ShopService service) const {
  return open_channel(address(service));
}

std::unique_ptr<Dependency> InProcessShop::dependency(ShopService service,
                                                      CallPolicy policy) const {
  return std::make_unique<Dependency>(shop_service_name(service), address(service), policy);
}

grpc::health::v1::Health::Stub& InProcessShop::health(ShopService service) {
  return *node(service).health;
}

// ---- OrdersReplica ----

stampede::Result<std::unique_ptr<OrdersReplica>> OrdersReplica::open(
    const InProcessShop& shop, std::chrono::milliseconds recovery_after, Clock clock,
    CallPolicy policy) {
  auto store = OrderStore::open(shop.data_dir(), std::move(clock));
  if (!store.ok()) return Error("orders replica: " + store.error().message());
  std::unique_ptr<OrdersReplica> r(new OrdersReplica());
  r->store_ = std::move(store.value());
  r->compensation_ = std::make_unique<OrderCompensation>(
      *r->store_, shop.dependency(ShopService::kPayment, policy),
      shop.dependency(ShopService::kShipping, policy));
  r->recovery_ = std::make_unique<OrderRecovery>(*r->store_, *r->compensation_,
                                                 std::chrono::hours(1), recovery_after);
  return r;
}

// ---- request helpers ----

hipstershop::CreditCardInfo valid_card() {
  hipstershop::CreditCardInfo card;
  card.set_credit_card_number("4432-8015-6152-0454");
  card.set_credit_card_cvv(672);
  card.set_credit_card_expiration_year(2099);
  card.set_credit_card_expiration_month(1);
  return card;
}

hipstershop::PlaceOrderRequest place_order_request(const std::string& user,
                                                   const std::string& currency) {
  hipstershop::PlaceOrderRequest r;
  r.set_user_id(user);
  r.set_user_currency(currency);
  r.set_email("someone@example.com");
  auto* a = r.mutable_address();
  a->set_street_address("1600 Amphitheatre Parkway");
  a->set_city("Mountain View");
  a->set_state("CA");
  a->set_country("United States");
  a->set_zip_code(94043);
  *r.mutable_credit_card() = valid_card();
  return r;
}

grpc::Status fill_cart(InProcessShop& shop, const std::string& user,
                       const std::vector<std::pair<std::string, int>>& items) {
  for (const auto& [product, quantity] : items) {
    hipstershop::AddItemRequest request;
    request.set_user_id(user);
    request.mutable_item()->set_product_id(product);
    request.mutable_item()->set_quantity(quantity);
    hipstershop::Empty empty;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::Status s = shop.cart().AddItem(&context, request, &empty);
    if (!s.ok()) return s;
  }
  return grpc::Status::OK;
}

}  // namespace shop::testing
