#include "shop-reference/shipping/shipping_logic.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "shop-reference/common/money.h"

namespace shop {
namespace {

CartItems items(std::initializer_list<std::pair<const char*, int>> list) {
  CartItems out;
  for (const auto& [id, quantity] : list) {
    auto* item = out.Add();
    item->set_product_id(id);
    item->set_quantity(quantity);
  }
  return out;
}

hipstershop::Address address() {
  hipstershop::Address a;
  a.set_street_address("1600 Amphitheatre Parkway");
  a.set_city("Mountain View");
  a.set_state("CA");
  a.set_country("United States");
  a.set_zip_code(94043);
  return a;
}

TEST(ShippingQuoteTest, FlatQuote) {
  auto some = quote(items({{"OLJCESPC7Z", 1}, {"6E92ZMYYFZ", 3}}));
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(to_string(some.value()), "USD 8.99");
  EXPECT_TRUE(equal(some.value(), make_money("USD", 8, 990'000'000)));
  auto none = quote(items({}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(equal(none.value(), make_money("USD", 0, 0)));
  auto zero = quote(items({{"OLJCESPC7Z", 0}}));
  ASSERT_TRUE(zero.ok());
  EXPECT_TRUE(is_zero(zero.value()));
}

TEST(ShippingQuoteTest, NegativeQuantityIsAnError) {
  auto r = quote(items({{"OLJCESPC7Z", 2}, {"6E92ZMYYFZ", -1}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "quote: items[1] (6E92ZMYYFZ): negative quantity -1");
}

TEST(TrackingIdTest, OnlineBoutiqueShape) {
  std::mt19937_64 rng(3);
  const std::string salt = address_salt(address());
  EXPECT_EQ(salt, "1600 Amphitheatre Parkway, Mountain View, CA");
  const std::regex shape("[A-Z]{2}-44[0-9]{3}-22[0-9]{7}");
  for (int i = 0; i < 50; ++i) {
    const std::string id = make_tracking_id(salt, rng);
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
  }
  EXPECT_TRUE(
      std::regex_match(make_tracking_id("", rng), std::regex("[A-Z]{2}-0[0-9]{3}-0[0-9]{7}")));
  std::mt19937_64 a(9), b(9);
  EXPECT_EQ(make_tracking_id(salt, a), make_tracking_id(salt, b));
}

TEST(ShipmentRegistryTest, ShipIsIdempotentPerOrder) {
  ShipmentRegistry registry(100, 1);
  auto first = registry.ship("order-1", address(), items({{"OLJCESPC7Z", 2}}));
  ASSERT_TRUE(first.ok());
  auto again = registry.ship("order-1", address(), items({{"OLJCESPC7Z", 2}}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first.value(), again.value());
  auto other = registry.ship("order-2", address(), items({{"OLJCESPC7Z", 2}}));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other.value(), first.value());
  EXPECT_EQ(registry.size(), 2u);

  auto s = registry.find_by_order_id("order-1");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->tracking_id, first.value());
  EXPECT_EQ(s->address.city(), "Mountain View");
  ASSERT_EQ(s->items.size(), 1u);
  EXPECT_EQ(s->items[0].quantity(), 2);
  EXPECT_FALSE(s->cancelled);
  EXPECT_EQ(registry.find_by_tracking_id(first.value())->order_id, "order-1");
}

TEST(ShipmentRegistryTest, ShipWithoutOrderIdIsAlwaysNew) {
  ShipmentRegistry registry;
  auto a = registry.ship("", address(), items({{"X", 1}}));
  auto b = registry.ship("", address(), items({{"X", 1}}));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a.value(), b.value());
  EXPECT_FALSE(registry.find_by_order_id("").has_value());
  EXPECT_TRUE(registry.cancel(a.value(), "").value().cancelled);
}

TEST(ShipmentRegistryTest, CancelIsIdempotent) {
  ShipmentRegistry registry;
  const std::string t1 = registry.ship("o1", address(), items({{"X", 1}})).value();
  const std::string t2 = registry.ship("o2", address(), items({{"X", 1}})).value();

  EXPECT_TRUE(registry.cancel(t1, "").value().cancelled);
  EXPECT_FALSE(registry.cancel(t1, "").value().cancelled);
  EXPECT_FALSE(registry.cancel("", "o1").value().cancelled);
  EXPECT_TRUE(registry.find_by_tracking_id(t1)->cancelled);

  EXPECT_TRUE(registry.cancel("", "o2").value().cancelled);
  EXPECT_FALSE(registry.cancel(t2, "o2").value().cancelled);

  EXPECT_FALSE(registry.cancel("XX-00000-0000000", "").value().cancelled);
  EXPECT_FALSE(registry.cancel("", "no-such-order").value().cancelled);
  EXPECT_FALSE(registry.cancel("XX-00000-0000000", "no-such-order").value().cancelled);
}

TEST(ShipmentRegistryTest, CancelRejectsBadRequests) {
  ShipmentRegistry registry;
  const std::string t1 = registry.ship("o1", address(), items({{"X", 1}})).value();
  registry.ship("o2", address(), items({{"X", 1}})).value();
  auto none = registry.cancel("", "");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message(), "cancel: tracking_id or order_id is required");
  auto mismatch = registry.cancel(t1, "o2");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message().find("different shipments"), std::string::npos);
  EXPECT_FALSE(registry.cancel(t1, "no-such-order").ok());
  EXPECT_FALSE(registry.find_by_tracking_id(t1)->cancelled);
  EXPECT_TRUE(registry.cancel(t1, "o1").value().cancelled);
}

TEST(ShipmentRegistryTest, ShipAfterCancelIsRefused) {
  ShipmentRegistry registry;
  const std::string t1 = registry.ship("o1", address(), items({{"X", 1}})).value();
  ASSERT_TRUE(registry.cancel("", "o1").value().cancelled);
  auto again = registry.ship("o1", address(), items({{"X", 1}}));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message().find(t1), std::string::npos) << again.error().message();
  EXPECT_EQ(registry.size(), 1u);
}

TEST(ShipmentRegistryTest, CapacityEvictsOldest) {
  ShipmentRegistry registry(2, 5);
  const std::string t1 = registry.ship("o1", address(), items({{"X", 1}})).value();
  const std::string t2 = registry.ship("o2", address(), items({{"X", 1}})).value();
  const std::string t3 = registry.ship("o3", address(), items({{"X", 1}})).value();
  EXPECT_EQ(registry.size(), 2u);
  EXPECT_FALSE(registry.find_by_tracking_id(t1).has_value());
  EXPECT_FALSE(registry.find_by_order_id("o1").has_value());
  EXPECT_FALSE(registry.cancel("", "o1").value().cancelled);
  EXPECT_EQ(registry.find_by_order_id("o2")->tracking_id, t2);
  EXPECT_EQ(registry.find_by_order_id("o3")->tracking_id, t3);
}

TEST(ShipmentRegistryTest, SeedMakesIdsDeterministic) {
  ShipmentRegistry a(10, 77), b(10, 77);
  EXPECT_EQ(a.ship("o", address(), items({})).value(), b.ship("o", address(), items({})).value());
}

TEST(ShipmentRegistryTest, ConcurrentShipsAndCancels) {
  ShipmentRegistry registry;
  constexpr int kThreads = 4;
  constexpr int kOrders = 300;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<int> cancelled(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Every thread ships and cancels the same orders: each order must get one tracking id
      // and exactly one successful cancel across all threads.
      for (int i = 0; i < kOrders; ++i) {
        const std::string order = "order-" + std::to_string(i);
        auto r = registry.ship(order, address(), items({{"X", 1}}));
        if (r.ok()) ids[t].push_back(r.value());
        auto c = registry.cancel("", order);
        if (c.ok() && c.value().cancelled) ++cancelled[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  int total_cancelled = 0;
  for (int c : cancelled) total_cancelled += c;
  EXPECT_EQ(total_cancelled, kOrders);
  std::set<std::string> distinct;
  for (const auto& v : ids) distinct.insert(v.begin(), v.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kOrders));
  EXPECT_EQ(registry.size(), static_cast<size_t>(kOrders));
}

}  // namespace
}  // namespace shop
