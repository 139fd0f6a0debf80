#include "shop-reference/orders/order_moves.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace shop {
namespace {

using hipstershop::OrderStatus;

const OrderStatus kAll[] = {hipstershop::ORDER_STATUS_UNSPECIFIED,
                            hipstershop::PENDING,
                            hipstershop::CHARGED,
                            hipstershop::SHIPPED,
                            hipstershop::PLACED,
                            hipstershop::CANCELLING,
                            hipstershop::CANCELLED,
                            hipstershop::FAILED,
                            hipstershop::COMPENSATING};

TEST(OrderMovesTest, ExactlyTheDocumentedMovesAreAllowed) {
  const std::set<std::pair<OrderStatus, OrderStatus>> allowed = {
      {hipstershop::PENDING, hipstershop::CHARGED},
      {hipstershop::PENDING, hipstershop::FAILED},
      {hipstershop::CHARGED, hipstershop::SHIPPED},
      {hipstershop::CHARGED, hipstershop::COMPENSATING},
      {hipstershop::CHARGED, hipstershop::FAILED},
      {hipstershop::SHIPPED, hipstershop::PLACED},
      {hipstershop::SHIPPED, hipstershop::COMPENSATING},
      {hipstershop::SHIPPED, hipstershop::FAILED},
      {hipstershop::COMPENSATING, hipstershop::FAILED},
      {hipstershop::PLACED, hipstershop::CANCELLING},
      {hipstershop::PLACED, hipstershop::CANCELLED},
      {hipstershop::CANCELLING, hipstershop::CANCELLED},
  };
  int allowed_seen = 0;
  for (OrderStatus from : kAll) {
    for (OrderStatus to : kAll) {
      bool expected = allowed.count({from, to}) > 0;
      EXPECT_EQ(is_allowed_move(from, to), expected)
          << status_name(from) << " -> " << status_name(to);
      allowed_seen += is_allowed_move(from, to) ? 1 : 0;
    }
  }
  EXPECT_EQ(allowed_seen, 12);
}

TEST(OrderMovesTest, InFlightStatuses) {
  std::set<OrderStatus> in_flight;
  for (OrderStatus s : kAll) {
    if (is_in_flight(s)) in_flight.insert(s);
  }
  EXPECT_EQ(in_flight,
            (std::set<OrderStatus>{hipstershop::PENDING, hipstershop::CHARGED, hipstershop::SHIPPED,
                                   hipstershop::COMPENSATING, hipstershop::CANCELLING}));
}

TEST(OrderMovesTest, StatusNames) {
  EXPECT_EQ(status_name(hipstershop::PLACED), "PLACED");
  EXPECT_EQ(status_name(static_cast<OrderStatus>(42)), "status 42");
}

hipstershop::BeginOrderRequest valid_request() {
  hipstershop::BeginOrderRequest r;
  r.set_order_id("o1");
  r.set_user_id("u1");
  r.set_currency_code("EUR");
  r.mutable_total()->set_units(10);
  r.mutable_shipping_cost()->set_currency_code("EUR");
  r.mutable_shipping_cost()->set_units(1);
  auto* item = r.add_items();
  item->mutable_item()->set_product_id("OLJCESPC7Z");
  item->mutable_item()->set_quantity(2);
  item->mutable_cost()->set_units(4);
  item->mutable_cost()->set_nanos(500'000'000);
  return r;
}

TEST(OrderMovesTest, ValidRequestGetsCurrencyFilledIn) {
  hipstershop::BeginOrderRequest r = valid_request();
  ASSERT_TRUE(check_begin_request(r).ok());
  EXPECT_EQ(r.total().currency_code(), "EUR");
  EXPECT_EQ(r.items(0).cost().currency_code(), "EUR");
}

TEST(OrderMovesTest, InvalidRequestsNameTheProblem) {
  struct Case {
    void (*mutate)(hipstershop::BeginOrderRequest&);
    const char* needle;
  };
  const Case cases[] = {
      {[](auto& r) { r.clear_order_id(); }, "order_id is empty"},
      {[](auto& r) { r.clear_user_id(); }, "user_id is empty"},
      {[](auto& r) { r.set_currency_code("usd"); }, "currency_code 'usd'"},
      {[](auto& r) { r.mutable_total()->set_nanos(1'000'000'000); }, "total: nanos"},
      {[](auto& r) { r.mutable_total()->set_nanos(-5); }, "total: units and nanos"},
      {[](auto& r) { r.mutable_total()->set_units(-1); }, "total: amount is negative"},
      {[](auto& r) { r.mutable_total()->set_currency_code("USD"); }, "total is in USD"},
      {[](auto& r) { r.mutable_shipping_cost()->set_currency_code("US"); }, "shipping_cost"},
      {[](auto& r) { r.mutable_items(0)->mutable_item()->set_quantity(0); }, "items[0].quantity"},
      {[](auto& r) { r.mutable_items(0)->mutable_item()->clear_product_id(); }, "product_id"},
      {[](auto& r) { r.mutable_items(0)->mutable_cost()->set_units(-3); }, "items[0].cost"},
  };
  for (const Case& c : cases) {
    hipstershop::BeginOrderRequest r = valid_request();
    c.mutate(r);
    StoreStatus s = check_begin_request(r);
    ASSERT_FALSE(s.ok()) << c.needle;
    EXPECT_EQ(s.error().kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(s.error().message().find(c.needle), std::string::npos) << s.error().message();
  }
}

}  // namespace
}  // namespace shop
