// Two OrderStores (two connections, as two processes would have) on one file, raced from two
// threads: every conflicting pair of moves must have exactly one winner.
#include <gtest/gtest.h>

#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "shop-reference/orders/order_store.h"
#include "shop-reference/orders/test_temp_dir.h"

namespace shop {
namespace {

constexpr int kOrders = 40;

hipstershop::BeginOrderRequest request(int i) {
  hipstershop::BeginOrderRequest r;
  r.set_order_id("order-" + std::to_string(i));
  r.set_user_id("u");
  r.set_currency_code("USD");
  r.mutable_total()->set_units(i);
  return r;
}

// Each thread's outcome per order: 1 won, 0 lost with the expected error kind, -1 other error.
using Outcomes = std::vector<int>;

TEST(OrderStoreRaceTest, ExactlyOneConflictingMoveWins) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto a = OrderStore::open(dir.path());
  auto b = OrderStore::open(dir.path());
  ASSERT_TRUE(a.ok()) << a.error().message();
  ASSERT_TRUE(b.ok()) << b.error().message();
  for (int i = 0; i < kOrders; ++i) {
    ASSERT_TRUE(a.value()->begin(request(i)).ok());
    std::string id = request(i).order_id();
    ASSERT_TRUE(a.value()->advance(id, hipstershop::CHARGED, "tx", "", "").ok());
    ASSERT_TRUE(a.value()->advance(id, hipstershop::SHIPPED, "", "track", "").ok());
  }
  // From SHIPPED, PLACED and COMPENSATING exclude each other: whoever commits second must see
  // the other's status and be refused.
  std::latch start(2);
  auto race = [&](OrderStore* store, hipstershop::OrderStatus to, Outcomes* out) {
    start.arrive_and_wait();
    for (int i = 0; i < kOrders; ++i) {
      auto moved = store->advance(request(i).order_id(), to, "", "", "race");
      if (moved.ok()) {
        out->push_back(1);
      } else {
        out->push_back(moved.error().kind() == ErrorKind::kFailedPrecondition ? 0 : -1);
      }
    }
  };
  Outcomes placed, compensating;
  std::thread t1(race, a.value().get(), hipstershop::PLACED, &placed);
  std::thread t2(race, b.value().get(), hipstershop::COMPENSATING, &compensating);
  t1.join();
  t2.join();
  ASSERT_EQ(placed.size(), static_cast<size_t>(kOrders));
  ASSERT_EQ(compensating.size(), static_cast<size_t>(kOrders));
  for (int i = 0; i < kOrders; ++i) {
    EXPECT_NE(placed[i], -1) << i;
    EXPECT_NE(compensating[i], -1) << i;
    EXPECT_EQ(placed[i] + compensating[i], 1) << "order " << i;
    auto order = b.value()->get(request(i).order_id());
    ASSERT_TRUE(order.ok());
    EXPECT_EQ(order.value().status(),
              placed[i] == 1 ? hipstershop::PLACED : hipstershop::COMPENSATING);
    EXPECT_EQ(order.value().history_size(), 4);  // one event for the single winning move
  }
}

TEST(OrderStoreRaceTest, ExactlyOneBeginWins) {
  testing::TempDir dir;
  auto a = OrderStore::open(dir.path());
  auto b = OrderStore::open(dir.path());
  ASSERT_TRUE(a.ok() && b.ok());
  std::latch start(2);
  auto race = [&](OrderStore* store, Outcomes* out) {
    start.arrive_and_wait();
    for (int i = 0; i < kOrders; ++i) {
      auto begun = store->begin(request(i));
      if (begun.ok()) {
        out->push_back(1);
      } else {
        out->push_back(begun.error().kind() == ErrorKind::kAlreadyExists ? 0 : -1);
      }
    }
  };
  Outcomes first, second;
  std::thread t1(race, a.value().get(), &first);
  std::thread t2(race, b.value().get(), &second);
  t1.join();
  t2.join();
  for (int i = 0; i < kOrders; ++i) EXPECT_EQ(first.at(i) + second.at(i), 1) << "order " << i;
  EXPECT_EQ(a.value()->counts_by_status().value().at(hipstershop::PENDING), kOrders);
}

}  // namespace
}  // namespace shop
