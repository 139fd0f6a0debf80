// PlaceOrder end to end through the real services served in-process: pricing, the order record,
// the charge in the ledger, and the saga's compensation when a step fails.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <optional>

#include "shop-reference/audit/audit.h"
#include "shop-reference/common/env.h"
#include "shop-reference/common/money.h"
#include "shop-reference/common/testing/inprocess_shop.h"
#include "shop-reference/payment/ledger.h"

namespace shop::testing {
namespace {

using google::protobuf::util::MessageDifferencer;
using hipstershop::Money;
using S = ShopService;

FaultSpec errors_on(std::vector<std::string> methods) {
  FaultSpec f;
  f.error_rate = 1;
  f.methods = std::move(methods);
  return f;
}

class CheckoutSagaTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }

  void start(InProcessShopOptions options) {
    shop_.reset();
    auto started = InProcessShop::start(std::move(options));
    ASSERT_TRUE(started.ok()) << started.error().message();
    shop_ = std::move(started.value());
  }

  grpc::Status place(const hipstershop::PlaceOrderRequest& request,
                     hipstershop::PlaceOrderResponse* response = nullptr) {
    hipstershop::PlaceOrderResponse ignored;
    return call_rpc([&](auto* c) {
      return shop_->checkout().PlaceOrder(c, request, response ? response : &ignored);
    });
  }

  // The user's orders, newest first.
  std::vector<hipstershop::Order> orders_of(const std::string& user) {
    hipstershop::ListOrdersRequest request;
    request.set_user_id(user);
    hipstershop::ListOrdersResponse response;
    auto s = call_rpc([&](auto* c) { return shop_->orders().ListOrders(c, request, &response); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {response.orders().begin(), response.orders().end()};
  }

  // The user's only order (a test failure when there is not exactly one).
  hipstershop::Order only_order_of(const std::string& user) {
    auto orders = orders_of(user);
    EXPECT_EQ(orders.size(), 1u) << user;
    return orders.empty() ? hipstershop::Order() : orders[0];
  }

  // The ledger's charge for an order, read through a read-only connection.
  std::optional<Charge> charge_for(const std::string& order_id) {
    auto ledger = Ledger::open_read_only(shop_->data_dir());
    EXPECT_TRUE(ledger.ok()) << ledger.error().message();
    if (!ledger.ok()) return std::nullopt;
    auto found = ledger.value()->find_by_order(order_id);
    EXPECT_TRUE(found.ok()) << found.error().message();
    return found.ok() ? found.value() : std::nullopt;
  }

  int cart_lines(const std::string& user) {
    hipstershop::GetCartRequest request;
    request.set_user_id(user);
    hipstershop::Cart cart;
    EXPECT_TRUE(call_rpc([&](auto* c) { return shop_->cart().GetCart(c, request, &cart); }).ok());
    return cart.items_size();
  }

  Money convert(const Money& from, const std::string& to) {
    hipstershop::CurrencyConversionRequest request;
    *request.mutable_from() = from;
    request.set_to_code(to);
    Money out;
    EXPECT_TRUE(
        call_rpc([&](auto* c) { return shop_->currency().Convert(c, request, &out); }).ok());
    return out;
  }

  Money price_usd(const std::string& product_id) {
    hipstershop::GetProductRequest request;
    request.set_id(product_id);
    hipstershop::Product p;
    EXPECT_TRUE(
        call_rpc([&](auto* c) { return shop_->catalog().GetProduct(c, request, &p); }).ok());
    return p.price_usd();
  }

  // Checks orders.db against payments.db as `shop audit` does.
  void expect_audit_clean() {
    auto report = audit(shop_->data_dir());
    ASSERT_TRUE(report.ok()) << report.error().message();
    EXPECT_TRUE(report.value().clean()) << render_text(report.value());
  }

  std::unique_ptr<InProcessShop> shop_;
};

TEST_F(CheckoutSagaTest, PlacesAnOrderPricedInTheUserCurrency) {
  ASSERT_TRUE(fill_cart(*shop_, "u1", {{"OLJCESPC7Z", 2}, {"66VCHSJNUP", 1}}).ok());
  auto request = place_order_request("u1", "EUR");
  hipstershop::PlaceOrderResponse response;
  auto s = place(request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const auto& result = response.order();
  EXPECT_FALSE(result.order_id().empty());
  EXPECT_FALSE(result.shipping_tracking_id().empty());
  EXPECT_TRUE(MessageDifferencer::Equals(result.shipping_address(), request.address()));

  // Items and shipping priced in EUR, exactly as the currency service converts.
  ASSERT_EQ(result.items_size(), 2);
  Money total = make_money("EUR", 0, 0);
  for (const auto& line : result.items()) {
    Money expected = convert(price_usd(line.item().product_id()), "EUR");
    EXPECT_EQ(line.cost().currency_code(), "EUR");
    EXPECT_TRUE(equal(line.cost(), expected)) << line.item().product_id();
    total = sum(total, multiply(line.cost(), line.item().quantity()).value()).value();
  }
  Money shipping = convert(make_money("USD", 8, 990'000'000), "EUR");
  EXPECT_TRUE(equal(result.shipping_cost(), shipping)) << to_string(result.shipping_cost());
  total = sum(total, shipping).value();

  // The order service has it PLACED, with the charge and the shipment.
  hipstershop::Order order = only_order_of("u1");
  EXPECT_EQ(order.order_id(), result.order_id());
  EXPECT_EQ(order.status(), hipstershop::PLACED);
  EXPECT_EQ(order.currency_code(), "EUR");
  EXPECT_EQ(order.tracking_id(), result.shipping_tracking_id());
  EXPECT_FALSE(order.transaction_id().empty());
  EXPECT_TRUE(equal(order.total(), total)) << to_string(order.total());
  std::vector<hipstershop::OrderStatus> path;
  for (const auto& change : order.history()) path.push_back(change.status());
  EXPECT_EQ(path,
            (std::vector<hipstershop::OrderStatus>{hipstershop::PENDING, hipstershop::CHARGED,
                                                   hipstershop::SHIPPED, hipstershop::PLACED}));

  // One charge of exactly the total, under the order's transaction id; the cart is empty.
  auto charge = charge_for(order.order_id());
  ASSERT_TRUE(charge.has_value());
  EXPECT_EQ(charge->transaction_id, order.transaction_id());
  EXPECT_TRUE(equal(charge->amount, order.total())) << to_string(charge->amount);
  EXPECT_FALSE(charge->refunded());
  EXPECT_EQ(cart_lines("u1"), 0);

  std::ifstream outbox(shop_->outbox_path());
  std::string line;
  ASSERT_TRUE(std::getline(outbox, line));
  EXPECT_NE(line.find(order.order_id()), std::string::npos) << line;
  EXPECT_FALSE(std::getline(outbox, line));
  expect_audit_clean();
}

TEST_F(CheckoutSagaTest, EmptyCartFailsPrecondition) {
  auto s = place(place_order_request("u1", "USD"));
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("empty"), std::string::npos) << s.error_message();
  EXPECT_TRUE(orders_of("u1").empty());
}

TEST_F(CheckoutSagaTest, UnknownProductInCartFailsPrecondition) {
  ASSERT_TRUE(fill_cart(*shop_, "u1", {{"NO-SUCH-PRODUCT", 1}}).ok());
  auto s = place(place_order_request("u1", "USD"));
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("NO-SUCH-PRODUCT"), std::string::npos) << s.error_message();
  EXPECT_TRUE(orders_of("u1").empty());
}

TEST_F(CheckoutSagaTest, InvalidFieldsAreRejectedByName) {
  ASSERT_TRUE(fill_cart(*shop_, "u1", {{"OLJCESPC7Z", 1}}).ok());
  using Edit = std::function<void(hipstershop::PlaceOrderRequest&)>;
  std::vector<std::pair<std::string, Edit>> cases = {
      {"user_id", [](auto& r) { r.clear_user_id(); }},
      {"user_currency", [](auto& r) { r.set_user_currency("EU"); }},
      {"email", [](auto& r) { r.set_email("not-an-address"); }},
      {"address", [](auto& r) { r.clear_address(); }},
      {"address.street_address", [](auto& r) { r.mutable_address()->clear_street_address(); }},
      {"address.city", [](auto& r) { r.mutable_address()->clear_city(); }},
      {"address.country", [](auto& r) { r.mutable_address()->clear_country(); }},
      {"credit_card", [](auto& r) { r.clear_credit_card(); }},
      {"credit_card.credit_card_number",
       [](auto& r) { r.mutable_credit_card()->clear_credit_card_number(); }},
  };
  for (const auto& [field, edit] : cases) {
    auto request = place_order_request("u1", "USD");
    edit(request);
    auto s = place(request);
    EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT) << field;
    EXPECT_EQ(s.error_message().rfind(field, 0), 0u) << field << ": " << s.error_message();
  }
  EXPECT_TRUE(orders_of("u1").empty());
  EXPECT_EQ(cart_lines("u1"), 1);
}

TEST_F(CheckoutSagaTest, UnsupportedCurrencyIsInvalid) {
  ASSERT_TRUE(fill_cart(*shop_, "u1", {{"OLJCESPC7Z", 1}}).ok());
  auto s = place(place_order_request("u1", "XYZ"));
  EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("XYZ"), std::string::npos) << s.error_message();
  EXPECT_TRUE(orders_of("u1").empty());
  EXPECT_EQ(cart_lines("u1"), 1);
}

TEST_F(CheckoutSagaTest, RefusedCardsFailTheOrderWithoutACharge) {
  struct Case {
    std::string user;
    std::string number;
    int year;
  } cases[] = {{"expired", "4432801561520454", 2020},
               {"amex", "378282246310005", 2099},
               {"bad-luhn", "4432801561520455", 2099}};
  for (const auto& c : cases) {
    ASSERT_TRUE(fill_cart(*shop_, c.user, {{"OLJCESPC7Z", 1}}).ok());
    auto request = place_order_request(c.user, "USD");
    request.mutable_credit_card()->set_credit_card_number(c.number);
    request.mutable_credit_card()->set_credit_card_expiration_year(c.year);
    auto s = place(request);
    EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT) << c.user;
    EXPECT_NE(s.error_message().find("payment refused"), std::string::npos) << s.error_message();
    auto order = only_order_of(c.user);
    EXPECT_EQ(order.status(), hipstershop::FAILED) << c.user;
    EXPECT_FALSE(charge_for(order.order_id()).has_value()) << c.user;
    EXPECT_EQ(cart_lines(c.user), 1) << c.user;
  }
  expect_audit_clean();
}

TEST_F(CheckoutSagaTest, ChargeErrorsFailTheOrderAndChargeNothing) {
  shop_->set_faults(S::kPayment, errors_on({"Charge"}));
  ASSERT_TRUE(fill_cart(*shop_, "u1", {{"OLJCESPC7Z", 1}}).ok());
  auto s = place(place_order_request("u1", "USD"));
  EXPECT_EQ(s.error_code(), grpc::UNAVAILABLE);
  EXPECT_EQ(s.error_message().rfind("charge:", 0), 0u) << s.error_message();
  auto order = only_order_of("u1");
  EXPECT_EQ(order.status(), hipstershop::FAILED);
  EXPECT_FALSE(charge_for(order.order_id()).has_value());
  EXPECT_EQ(cart_lines("u1"), 1);
  expect_audit_clean();
}

TEST_F(CheckoutSagaTest, PaymentDownLeavesTheOrderInFlightForRecovery) {
  // Neither the charge nor the refund gets through, so checkout cannot know whether money
  // moved: the order stays PENDING for the recovery loop instead of being called FAILED.
  FaultSpec down;
  down.error_rate = 1;
  shop_->set_faults(S::kPayment, down);
  ASSERT_TRUE(fill_cart(*shop_, "u1", {{"OLJCESPC7Z", 1}}).ok());
  EXPECT_EQ(place(place_order_request("u1", "USD")).error_code(), grpc::UNAVAILABLE);
  auto order = only_order_of("u1");
  EXPECT_EQ(order.status(), hipstershop::PENDING);
  EXPECT_FALSE(charge_for(order.order_id()).has_value());

  shop_->set_faults(S::kPayment, FaultSpec{});
  auto replica = OrdersReplica::open(*shop_, std::chrono::minutes(1));
  ASSERT_TRUE(replica.ok()) << replica.error().message();
  auto settled = replica.value()->compensation().settle(order);
  ASSERT_TRUE(settled.ok()) << settled.error_message();
  EXPECT_EQ(only_order_of("u1").status(), hipstershop::FAILED);
  expect_audit_clean();
}

TEST_F(CheckoutSagaTest, ShipmentFailureAfterTheChargeIsRefunded) {
  shop_->set_faults(S::kShipping, errors_on({"ShipOrder"}));
  ASSERT_TRUE(fill_cart(*shop_, "u1", {{"OLJCESPC7Z", 1}}).ok());
  auto s = place(place_order_request("u1", "USD"));
  EXPECT_EQ(s.error_code(), grpc::UNAVAILABLE);
  EXPECT_EQ(s.error_message().rfind("ship order:", 0), 0u) << s.error_message();
  auto order = only_order_of("u1");
  EXPECT_EQ(order.status(), hipstershop::FAILED);
  EXPECT_FALSE(order.transaction_id().empty());
  auto charge = charge_for(order.order_id());
  ASSERT_TRUE(charge.has_value());
  EXPECT_TRUE(charge->refunded());
  EXPECT_EQ(cart_lines("u1"), 1);
  expect_audit_clean();
}

TEST_F(CheckoutSagaTest, ShippingDownAfterTheChargeRefundsAndLeavesCompensating) {
  // The shipment cannot be cancelled either: the money is given back at once, and the order
  // waits in COMPENSATING until recovery can cancel the shipment.
  shop_->set_faults(S::kShipping, errors_on({"ShipOrder", "CancelShipment"}));
  ASSERT_TRUE(fill_cart(*shop_, "u1", {{"OLJCESPC7Z", 1}}).ok());
  EXPECT_EQ(place(place_order_request("u1", "USD")).error_code(), grpc::UNAVAILABLE);
  auto order = only_order_of("u1");
  EXPECT_EQ(order.status(), hipstershop::COMPENSATING);
  auto charge = charge_for(order.order_id());
  ASSERT_TRUE(charge.has_value());
  EXPECT_TRUE(charge->refunded());
  expect_audit_clean();

  shop_->set_faults(S::kShipping, FaultSpec{});
  auto replica = OrdersReplica::open(*shop_, std::chrono::minutes(1));
  ASSERT_TRUE(replica.ok()) << replica.error().message();
  ASSERT_TRUE(replica.value()->compensation().settle(order).ok());
  EXPECT_EQ(only_order_of("u1").status(), hipstershop::FAILED);
  expect_audit_clean();
}

TEST_F(CheckoutSagaTest, EmailFailureDoesNotFailTheOrder) {
  FaultSpec down;
  down.error_rate = 1;
  shop_->set_faults(S::kEmail, down);
  ASSERT_TRUE(fill_cart(*shop_, "u1", {{"OLJCESPC7Z", 1}}).ok());
  hipstershop::PlaceOrderResponse response;
  auto s = place(place_order_request("u1", "USD"), &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(only_order_of("u1").status(), hipstershop::PLACED);
  std::ifstream outbox(shop_->outbox_path());
  std::string line;
  EXPECT_FALSE(std::getline(outbox, line)) << line;
  expect_audit_clean();
}

TEST_F(CheckoutSagaTest, PaymentBreakerOpensAndFailsFast) {
  std::map<std::string, std::string> vars = {{"PAYMENT_BREAKER_FAILURES", "3"},
                                             {"PAYMENT_BREAKER_OPEN_MS", "600000"},
                                             {"PAYMENT_RETRIES", "0"},
                                             {"PAYMENT_DEADLINE_MS", "5000"}};
  Env env([&](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
  auto policy = call_policy_from_env(env, "PAYMENT");
  ASSERT_TRUE(policy.ok()) << policy.error().message();
  InProcessShopOptions options;
  options.policies[{S::kCheckout, S::kPayment}] = policy.value();
  start(options);

  FaultSpec down;
  down.error_rate = 1;
  shop_->set_faults(S::kPayment, down);
  ASSERT_TRUE(fill_cart(*shop_, "u1", {{"OLJCESPC7Z", 1}}).ok());
  // Each failed order costs the breaker a failed Charge and a failed compensating Refund.
  int attempts = 0;
  std::string message;
  while (attempts < 5 && message.find("circuit breaker open") == std::string::npos) {
    auto s = place(place_order_request("u1", "USD"));
    EXPECT_EQ(s.error_code(), grpc::UNAVAILABLE);
    if (attempts == 0) {
      EXPECT_NE(s.error_message().find("injected fault"), std::string::npos) << s.error_message();
    }
    message = s.error_message();
    ++attempts;
  }
  EXPECT_EQ(message, "charge: circuit breaker open for payment");
  EXPECT_LE(attempts, 3);

  // Payment is back, but the open breaker still fails fast without calling it.
  shop_->set_faults(S::kPayment, FaultSpec{});
  auto s = place(place_order_request("u1", "USD"));
  EXPECT_EQ(s.error_code(), grpc::UNAVAILABLE);
  EXPECT_EQ(s.error_message(), "charge: circuit breaker open for payment");
  for (const auto& order : orders_of("u1")) {
    EXPECT_FALSE(charge_for(order.order_id()).has_value()) << order.order_id();
  }
  EXPECT_EQ(cart_lines("u1"), 1);
}

}  // namespace
}  // namespace shop::testing
