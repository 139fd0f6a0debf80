#include "shop-reference/frontend/fake_backends.h"

#include <stdexcept>

namespace shop::testing {
namespace {

hipstershop::Money usd(int64_t units, int32_t nanos) {
  hipstershop::Money m;
  m.set_currency_code("USD");
  m.set_units(units);
  m.set_nanos(nanos);
  return m;
}

int64_t rate(const std::string& code) {
  if (code == "EUR") return 2;
  if (code == "JPY") return 100;
  return 1;
}

}  // namespace

FakeCatalog::FakeCatalog() {
  auto add = [&](const char* id, const char* name, int64_t units, int32_t nanos,
                 const char* category) {
    hipstershop::Product p;
    p.set_id(id);
    p.set_name(name);
    p.set_description(std::string("About ") + name);
    *p.mutable_price_usd() = usd(units, nanos);
    p.add_categories(category);
    products[id] = p;
  };
  add("OLJCESPC7Z", "Sunglasses", 19, 990000000, "accessories");
  add("66VCHSJNUP", "Tank <Top> & \"Co\"", 18, 990000000, "clothing");
  add("1YMWWN1N4O", "Watch", 109, 990000000, "accessories");
}

grpc::Status FakeCatalog::ListProducts(grpc::ServerContext*, const hipstershop::Empty*,
                                       hipstershop::ListProductsResponse* response) {
  if (auto s = fail.status("catalog"); !s.ok()) return s;
  for (const auto& [id, p] : products) *response->add_products() = p;
  return grpc::Status::OK;
}

grpc::Status FakeCatalog::GetProduct(grpc::ServerContext*,
                                     const hipstershop::GetProductRequest* request,
                                     hipstershop::Product* response) {
  if (auto s = fail.status("catalog"); !s.ok()) return s;
  auto it = products.find(request->id());
  if (it == products.end()) return grpc::Status(grpc::NOT_FOUND, "no product " + request->id());
  *response = it->second;
  return grpc::Status::OK;
}

grpc::Status FakeCurrency::GetSupportedCurrencies(grpc::ServerContext*, const hipstershop::Empty*,
                                                  hipstershop::GetSupportedCurrenciesResponse* r) {
  if (auto s = fail.status("currency"); !s.ok()) return s;
  for (const char* code : {"USD", "EUR", "JPY", "XXX"}) r->add_currency_codes(code);
  return grpc::Status::OK;
}

grpc::Status FakeCurrency::Convert(grpc::ServerContext*,
                                   const hipstershop::CurrencyConversionRequest* request,
                                   hipstershop::Money* response) {
  if (auto s = fail.status("currency"); !s.ok()) return s;
  __int128 nanos =
      static_cast<__int128>(request->from().units()) * 1'000'000'000 + request->from().nanos();
  nanos = nanos / rate(request->from().currency_code()) * rate(request->to_code());
  response->set_currency_code(request->to_code());
  response->set_units(static_cast<int64_t>(nanos / 1'000'000'000));
  response->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
  return grpc::Status::OK;
}

grpc::Status FakeCart::AddItem(grpc::ServerContext*, const hipstershop::AddItemRequest* request,
                               hipstershop::Empty*) {
  if (auto s = fail.status("cart"); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  auto& items = carts_[request->user_id()];
  for (auto& item : items) {
    if (item.product_id() == request->item().product_id()) {
      item.set_quantity(item.quantity() + request->item().quantity());
      return grpc::Status::OK;
    }
  }
  items.push_back(request->item());
  return grpc::Status::OK;
}

grpc::Status FakeCart::GetCart(grpc::ServerContext*, const hipstershop::GetCartRequest* request,
                               hipstershop::Cart* response) {
  if (auto s = fail.status("cart"); !s.ok()) return s;
  response->set_user_id(request->user_id());
  for (const auto& item : items(request->user_id())) *response->add_items() = item;
  return grpc::Status::OK;
}

grpc::Status FakeCart::EmptyCart(grpc::ServerContext*, const hipstershop::EmptyCartRequest* request,
                                 hipstershop::Empty*) {
  if (auto s = fail.status("cart"); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  carts_.erase(request->user_id());
  return grpc::Status::OK;
}

std::vector<hipstershop::CartItem> FakeCart::items(const std::string& user) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = carts_.find(user);
  return it == carts_.end() ? std::vector<hipstershop::CartItem>{} : it->second;
}

grpc::Status FakeShipping::GetQuote(grpc::ServerContext*,
                                    const hipstershop::GetQuoteRequest* request,
                                    hipstershop::GetQuoteResponse* response) {
  if (auto s = fail.status("shipping"); !s.ok()) return s;
  *response->mutable_cost_usd() = request->items_size() > 0 ? usd(8, 990000000) : usd(0, 0);
  return grpc::Status::OK;
}

grpc::Status FakeOrders::GetOrder(grpc::ServerContext*, const hipstershop::GetOrderRequest* request,
                                  hipstershop::Order* response) {
  if (auto s = fail.status("orders"); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orders_.find(request->order_id());
  if (it == orders_.end() || it->second.user_id() != request->user_id()) {
    return grpc::Status(grpc::NOT_FOUND, "no order " + request->order_id());
  }
  *response = it->second;
  return grpc::Status::OK;
}

grpc::Status FakeOrders::ListOrders(grpc::ServerContext*,
                                    const hipstershop::ListOrdersRequest* request,
                                    hipstershop::ListOrdersResponse* response) {
  if (auto s = fail.status("orders"); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, order] : orders_) {
    if (order.user_id() == request->user_id()) *response->add_orders() = order;
  }
  return grpc::Status::OK;
}

grpc::Status FakeOrders::CancelOrder(grpc::ServerContext*,
                                     const hipstershop::CancelOrderRequest* request,
                                     hipstershop::Order* response) {
  if (auto s = fail.status("orders"); !s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orders_.find(request->order_id());
  if (it == orders_.end() || it->second.user_id() != request->user_id()) {
    return grpc::Status(grpc::NOT_FOUND, "no order " + request->order_id());
  }
  if (it->second.status() != hipstershop::PLACED) {
    return grpc::Status(grpc::FAILED_PRECONDITION, "order is not PLACED");
  }
  it->second.set_status(hipstershop::CANCELLED);
  it->second.add_history()->set_status(hipstershop::CANCELLED);
  *response = it->second;
  return grpc::Status::OK;
}

void FakeOrders::put(const hipstershop::Order& order) {
  std::lock_guard<std::mutex> lock(mu_);
  orders_[order.order_id()] = order;
}

grpc::Status FakeCheckout::PlaceOrder(grpc::ServerContext*,
                                      const hipstershop::PlaceOrderRequest* request,
                                      hipstershop::PlaceOrderResponse* response) {
  if (auto s = fail.status("checkout"); !s.ok()) return s;
  int n = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_ = *request;
    n = ++placed_;
  }
  auto items = cart_.items(request->user_id());
  if (items.empty()) return grpc::Status(grpc::FAILED_PRECONDITION, "cart is empty");
  if (request->credit_card().credit_card_number() == "4000000000000002") {
    return grpc::Status(grpc::INVALID_ARGUMENT, "credit card declined");
  }
  auto* result = response->mutable_order();
  result->set_order_id("order-" + std::to_string(n));
  result->set_shipping_tracking_id("track-" + std::to_string(n));
  *result->mutable_shipping_cost() = usd(8, 990000000);
  *result->mutable_shipping_address() = request->address();
  for (const auto& item : items) {
    auto* line = result->add_items();
    *line->mutable_item() = item;
    *line->mutable_cost() = catalog_.products.at(item.product_id()).price_usd();
  }
  hipstershop::Order order;
  order.set_order_id(result->order_id());
  order.set_user_id(request->user_id());
  order.set_status(hipstershop::PLACED);
  order.set_email(request->email());
  order.set_currency_code("USD");
  *order.mutable_items() = result->items();
  order.set_tracking_id(result->shipping_tracking_id());
  order.add_history()->set_status(hipstershop::PENDING);
  order.add_history()->set_status(hipstershop::PLACED);
  orders_.put(order);
  grpc::ServerContext* unused = nullptr;
  hipstershop::EmptyCartRequest empty;
  empty.set_user_id(request->user_id());
  hipstershop::Empty nothing;
  return cart_.EmptyCart(unused, &empty, &nothing);
}

hipstershop::PlaceOrderRequest FakeCheckout::last_request() {
  std::lock_guard<std::mutex> lock(mu_);
  return last_;
}

grpc::Status FakeAd::GetAds(grpc::ServerContext*, const hipstershop::AdRequest*,
                            hipstershop::AdResponse* response) {
  if (auto s = fail.status("ad"); !s.ok()) return s;
  auto* ad = response->add_ads();
  ad->set_redirect_url("/product/1YMWWN1N4O");
  ad->set_text("Watch for sale: 20% off");
  return grpc::Status::OK;
}

grpc::Status FakeRecommendation::ListRecommendations(
    grpc::ServerContext*, const hipstershop::ListRecommendationsRequest* request,
    hipstershop::ListRecommendationsResponse* response) {
  if (auto s = fail.status("recommendation"); !s.ok()) return s;
  for (const auto& [id, p] : catalog_.products) {
    bool asked = false;
    for (const auto& given : request->product_ids()) asked = asked || given == id;
    if (!asked) response->add_product_ids(id);
  }
  return grpc::Status::OK;
}

grpc::Status FakeHealth::Check(grpc::ServerContext*, const grpc::health::v1::HealthCheckRequest*,
                               grpc::health::v1::HealthCheckResponse* response) {
  response->set_status(grpc::health::v1::HealthCheckResponse::SERVING);
  return grpc::Status::OK;
}

FakeShop::Running FakeShop::serve(grpc::Service& service) {
  Running running;
  running.health = std::make_unique<FakeHealth>();
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  builder.RegisterService(running.health.get());
  running.server = builder.BuildAndStart();
  if (!running.server || port == 0) throw std::runtime_error("fake backend: cannot listen");
  running.address = "127.0.0.1:" + std::to_string(port);
  return running;
}

FakeShop::FakeShop()
    : catalog_(serve(catalog)),
      currency_(serve(currency)),
      cart_(serve(cart)),
      shipping_(serve(shipping)),
      orders_(serve(orders)),
      checkout_(serve(checkout)),
      ad_(serve(ad)),
      recommendation_(serve(recommendation)) {}

FakeShop::~FakeShop() {
  for (Running* r :
       {&catalog_, &currency_, &cart_, &shipping_, &orders_, &checkout_, &ad_, &recommendation_}) {
    if (r->server) r->server->Shutdown(std::chrono::system_clock::now());
  }
}

void FakeShop::stop_cart() {
  cart_.server->Shutdown(std::chrono::system_clock::now());
  cart_.server->Wait();
}

FrontendConfig FakeShop::config() const {
  CallPolicy policy;
  policy.retries = 0;
  policy.deadline = std::chrono::milliseconds(2000);
  FrontendConfig c;
  c.catalog = {catalog_.address, policy};
  c.currency = {currency_.address, policy};
  c.cart = {cart_.address, policy};
  c.shipping = {shipping_.address, policy};
  c.checkout = {checkout_.address, policy};
  c.orders = {orders_.address, policy};
  c.ad = {ad_.address, policy};
  c.recommendation = {recommendation_.address, policy};
  c.handler_threads = 4;
  c.ready_cache = std::chrono::milliseconds(0);
  return c;
}

}  // namespace shop::testing
