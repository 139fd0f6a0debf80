// The order service through its stub, with orders placed by the real checkout: reads, the cancel
// saga (shipment cancelled, charge refunded, resumable) and the recovery loop's settling of
// orders a crashed checkout left behind.
#include <gtest/gtest.h>

#include <optional>

#include "shop-reference/audit/audit.h"
#include "shop-reference/common/money.h"
#include "shop-reference/common/testing/inprocess_shop.h"
#include "shop-reference/payment/ledger.h"

namespace shop::testing {
namespace {

using hipstershop::Order;
using S = ShopService;

class OrdersServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = InProcessShop::start();
    ASSERT_TRUE(started.ok()) << started.error().message();
    shop_ = std::move(started.value());
  }

  // Places an order for `user` through checkout (a sunglasses in USD) and returns its record.
  Order place(const std::string& user, hipstershop::CreditCardInfo card = valid_card()) {
    EXPECT_TRUE(fill_cart(*shop_, user, {{"OLJCESPC7Z", 1}}).ok());
    auto request = place_order_request(user, "USD");
    *request.mutable_credit_card() = card;
    hipstershop::PlaceOrderResponse response;
    call_rpc([&](auto* c) { return shop_->checkout().PlaceOrder(c, request, &response); });
    // A refused card fails PlaceOrder but still leaves a FAILED order: take the newest one.
    auto orders = list(user);
    EXPECT_FALSE(orders.empty()) << user;
    return orders.empty() ? Order() : orders[0];
  }

  grpc::Status get(const std::string& order_id, const std::string& user, Order* out) {
    hipstershop::GetOrderRequest request;
    request.set_order_id(order_id);
    request.set_user_id(user);
    return call_rpc([&](auto* c) { return shop_->orders().GetOrder(c, request, out); });
  }

  Order get(const std::string& order_id) {
    Order out;
    auto s = get(order_id, "", &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<Order> list(const std::string& user, grpc::Status* status = nullptr) {
    hipstershop::ListOrdersRequest request;
    request.set_user_id(user);
    hipstershop::ListOrdersResponse response;
    auto s = call_rpc([&](auto* c) { return shop_->orders().ListOrders(c, request, &response); });
    if (status != nullptr) *status = s;
    return {response.orders().begin(), response.orders().end()};
  }

  grpc::Status cancel(const std::string& order_id, const std::string& user = "",
                      Order* out = nullptr) {
    hipstershop::CancelOrderRequest request;
    request.set_order_id(order_id);
    request.set_user_id(user);
    request.set_reason("changed my mind");
    Order ignored;
    return call_rpc(
        [&](auto* c) { return shop_->orders().CancelOrder(c, request, out ? out : &ignored); });
  }

  std::optional<Charge> charge_for(const std::string& order_id) {
    auto ledger = Ledger::open_read_only(shop_->data_dir());
    EXPECT_TRUE(ledger.ok()) << ledger.error().message();
    if (!ledger.ok()) return std::nullopt;
    auto found = ledger.value()->find_by_order(order_id);
    EXPECT_TRUE(found.ok()) << found.error().message();
    return found.ok() ? found.value() : std::nullopt;
  }

  // ShipOrder again for the order: FAILED_PRECONDITION proves its shipment was cancelled (an
  // unknown order would simply be shipped now).
  grpc::Status reship(const std::string& order_id) {
    hipstershop::ShipOrderRequest request;
    request.set_order_id(order_id);
    request.mutable_address()->set_street_address("1 Main St");
    hipstershop::ShipOrderResponse response;
    return call_rpc([&](auto* c) { return shop_->shipping().ShipOrder(c, request, &response); });
  }

  void expect_audit_clean() {
    auto report = audit(shop_->data_dir());
    ASSERT_TRUE(report.ok()) << report.error().message();
    EXPECT_TRUE(report.value().clean()) << render_text(report.value());
  }

  std::unique_ptr<InProcessShop> shop_;
};

TEST_F(OrdersServiceTest, GetsAndListsOrdersPerUser) {
  Order a1 = place("alice");
  Order a2 = place("alice");
  Order b1 = place("bob");
  ASSERT_EQ(a1.status(), hipstershop::PLACED);

  Order got;
  ASSERT_TRUE(get(a1.order_id(), "alice", &got).ok());
  EXPECT_EQ(got.order_id(), a1.order_id());
  EXPECT_EQ(got.user_id(), "alice");
  EXPECT_TRUE(equal(got.total(), a1.total()));
  // Someone else's order looks exactly like a missing one.
  EXPECT_EQ(get(a1.order_id(), "bob", &got).error_code(), grpc::NOT_FOUND);
  EXPECT_EQ(get("no-such-order", "", &got).error_code(), grpc::NOT_FOUND);
  EXPECT_EQ(get("", "", &got).error_code(), grpc::INVALID_ARGUMENT);

  auto alice = list("alice");
  ASSERT_EQ(alice.size(), 2u);
  EXPECT_EQ(alice[0].order_id(), a2.order_id());  // newest first
  EXPECT_EQ(alice[1].order_id(), a1.order_id());
  auto bob = list("bob");
  ASSERT_EQ(bob.size(), 1u);
  EXPECT_EQ(bob[0].order_id(), b1.order_id());
  EXPECT_TRUE(list("nobody").empty());
  grpc::Status status;
  list("", &status);
  EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT);
}

TEST_F(OrdersServiceTest, CancelRefundsAndCancelsTheShipment) {
  Order order = place("alice");
  ASSERT_EQ(order.status(), hipstershop::PLACED);
  EXPECT_EQ(cancel(order.order_id(), "bob").error_code(), grpc::NOT_FOUND);
  EXPECT_EQ(get(order.order_id()).status(), hipstershop::PLACED);

  Order cancelled;
  auto s = cancel(order.order_id(), "alice", &cancelled);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(cancelled.status(), hipstershop::CANCELLED);
  ASSERT_GE(cancelled.history_size(), 2);
  EXPECT_EQ(cancelled.history(cancelled.history_size() - 2).status(), hipstershop::CANCELLING);
  EXPECT_EQ(get(order.order_id()).status(), hipstershop::CANCELLED);

  auto charge = charge_for(order.order_id());
  ASSERT_TRUE(charge.has_value());
  EXPECT_TRUE(charge->refunded());
  EXPECT_EQ(charge->transaction_id, order.transaction_id());

  hipstershop::CancelShipmentRequest again;
  again.set_order_id(order.order_id());
  hipstershop::CancelShipmentResponse response;
  ASSERT_TRUE(call_rpc([&](auto* c) {
                return shop_->shipping().CancelShipment(c, again, &response);
              }).ok());
  EXPECT_FALSE(response.cancelled());  // already done by the cancel saga
  EXPECT_EQ(reship(order.order_id()).error_code(), grpc::FAILED_PRECONDITION);
  expect_audit_clean();
}

TEST_F(OrdersServiceTest, CancellingTwiceIsRefused) {
  Order order = place("alice");
  ASSERT_TRUE(cancel(order.order_id()).ok());
  std::string refund_id = charge_for(order.order_id())->refund_id;
  auto s = cancel(order.order_id());
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("already cancelled"), std::string::npos) << s.error_message();
  EXPECT_EQ(charge_for(order.order_id())->refund_id, refund_id);
  expect_audit_clean();
}

TEST_F(OrdersServiceTest, CancellingAFailedOrderIsRefused) {
  hipstershop::CreditCardInfo amex = valid_card();
  amex.set_credit_card_number("378282246310005");
  Order order = place("alice", amex);
  ASSERT_EQ(order.status(), hipstershop::FAILED);
  auto s = cancel(order.order_id());
  EXPECT_EQ(s.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("FAILED"), std::string::npos) << s.error_message();
  EXPECT_EQ(get(order.order_id()).status(), hipstershop::FAILED);
}

TEST_F(OrdersServiceTest, CancelInterruptedByPaymentIsResumed) {
  Order order = place("alice");
  FaultSpec down;
  down.error_rate = 1;
  shop_->set_faults(S::kPayment, down);
  auto s = cancel(order.order_id());
  EXPECT_EQ(s.error_code(), grpc::UNAVAILABLE);
  EXPECT_EQ(s.error_message().rfind("refund:", 0), 0u) << s.error_message();
  EXPECT_EQ(get(order.order_id()).status(), hipstershop::CANCELLING);
  EXPECT_FALSE(charge_for(order.order_id())->refunded());

  shop_->set_faults(S::kPayment, FaultSpec{});
  Order done;
  s = cancel(order.order_id(), "", &done);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(done.status(), hipstershop::CANCELLED);
  EXPECT_TRUE(charge_for(order.order_id())->refunded());
  EXPECT_EQ(reship(order.order_id()).error_code(), grpc::FAILED_PRECONDITION);
  expect_audit_clean();
}

TEST_F(OrdersServiceTest, RecoveryFinishesAnInterruptedCancel) {
  Order order = place("alice");
  FaultSpec down;
  down.error_rate = 1;
  shop_->set_faults(S::kPayment, down);
  EXPECT_EQ(cancel(order.order_id()).error_code(), grpc::UNAVAILABLE);
  shop_->set_faults(S::kPayment, FaultSpec{});

  auto replica = OrdersReplica::open(*shop_, std::chrono::minutes(1));
  ASSERT_TRUE(replica.ok()) << replica.error().message();
  auto s = replica.value()->compensation().settle(get(order.order_id()));
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(get(order.order_id()).status(), hipstershop::CANCELLED);
  EXPECT_TRUE(charge_for(order.order_id())->refunded());
  expect_audit_clean();
}

TEST_F(OrdersServiceTest, RecoverySettlesStaleOrdersAndLeavesFreshOnes) {
  // A checkout that crashed ten minutes ago, right after the charge: the order written by a
  // store whose clock says "ten minutes ago", the charge made through the payment service.
  const int64_t ten_minutes_ago = system_clock_ms() - 10 * 60 * 1000;
  auto replica = OrdersReplica::open(*shop_, std::chrono::minutes(1),
                                     [ten_minutes_ago] { return ten_minutes_ago; });
  ASSERT_TRUE(replica.ok()) << replica.error().message();
  hipstershop::BeginOrderRequest begin;
  begin.set_order_id("crashed-order");
  begin.set_user_id("alice");
  begin.set_email("alice@example.com");
  begin.set_currency_code("USD");
  auto* item = begin.add_items();
  item->mutable_item()->set_product_id("OLJCESPC7Z");
  item->mutable_item()->set_quantity(1);
  *item->mutable_cost() = make_money("USD", 19, 990'000'000);
  *begin.mutable_shipping_cost() = make_money("USD", 8, 990'000'000);
  *begin.mutable_total() = make_money("USD", 28, 980'000'000);
  begin.mutable_shipping_address()->set_street_address("1 Main St");
  ASSERT_TRUE(replica.value()->store().begin(begin).ok());

  hipstershop::ChargeRequest charge;
  *charge.mutable_amount() = begin.total();
  *charge.mutable_credit_card() = valid_card();
  charge.set_order_id("crashed-order");
  hipstershop::ChargeResponse charged;
  ASSERT_TRUE(call_rpc([&](auto* c) { return shop_->payment().Charge(c, charge, &charged); }).ok());

  // A checkout in flight right now, through the order service (the wall clock).
  begin.set_order_id("fresh-order");
  Order fresh;
  ASSERT_TRUE(call_rpc([&](auto* c) { return shop_->orders().BeginOrder(c, begin, &fresh); }).ok());

  EXPECT_EQ(replica.value()->recovery().run_once(), 1);
  Order settled = get("crashed-order");
  EXPECT_EQ(settled.status(), hipstershop::FAILED);
  auto ledger_charge = charge_for("crashed-order");
  ASSERT_TRUE(ledger_charge.has_value());
  EXPECT_EQ(ledger_charge->transaction_id, charged.transaction_id());
  EXPECT_TRUE(ledger_charge->refunded());
  EXPECT_EQ(get("fresh-order").status(), hipstershop::PENDING);

  // Nothing more to do on a second pass.
  EXPECT_EQ(replica.value()->recovery().run_once(), 0);
  expect_audit_clean();
}

}  // namespace
}  // namespace shop::testing
