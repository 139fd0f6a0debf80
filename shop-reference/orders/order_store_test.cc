#include "shop-reference/orders/order_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <vector>

#include "shop-reference/orders/test_temp_dir.h"

namespace shop {
namespace {

using hipstershop::Order;
using hipstershop::OrderStatus;

hipstershop::BeginOrderRequest request(const std::string& order_id,
                                       const std::string& user_id = "u1") {
  hipstershop::BeginOrderRequest r;
  r.set_order_id(order_id);
  r.set_user_id(user_id);
  r.set_email("someone@example.com");
  r.set_currency_code("USD");
  auto* item = r.add_items();
  item->mutable_item()->set_product_id("OLJCESPC7Z");
  item->mutable_item()->set_quantity(2);
  item->mutable_cost()->set_units(19);
  item->mutable_cost()->set_nanos(990'000'000);
  r.mutable_shipping_cost()->set_units(8);
  r.mutable_shipping_cost()->set_nanos(990'000'000);
  r.mutable_total()->set_units(48);
  r.mutable_total()->set_nanos(970'000'000);
  r.mutable_shipping_address()->set_city("Mountain View");
  r.mutable_shipping_address()->set_zip_code(94043);
  return r;
}

// The statuses leading from PENDING to `target` (exclusive of PENDING).
std::vector<OrderStatus> path_to(OrderStatus target) {
  switch (target) {
    case hipstershop::PENDING:
      return {};
    case hipstershop::CHARGED:
      return {hipstershop::CHARGED};
    case hipstershop::SHIPPED:
      return {hipstershop::CHARGED, hipstershop::SHIPPED};
    case hipstershop::PLACED:
      return {hipstershop::CHARGED, hipstershop::SHIPPED, hipstershop::PLACED};
    case hipstershop::CANCELLING:
      return {hipstershop::CHARGED, hipstershop::SHIPPED, hipstershop::PLACED,
              hipstershop::CANCELLING};
    case hipstershop::CANCELLED:
      return {hipstershop::CHARGED, hipstershop::SHIPPED, hipstershop::PLACED,
              hipstershop::CANCELLED};
    case hipstershop::COMPENSATING:
      return {hipstershop::CHARGED, hipstershop::COMPENSATING};
    default:
      return {hipstershop::FAILED};
  }
}

class OrderStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OrderStore::open(":memory:", [this] { return now_.load(); });
    ASSERT_TRUE(store.ok()) << store.error().message();
    store_ = std::move(store).value();
  }

  StoreResult<Order> move(const std::string& id, OrderStatus to) {
    return store_->advance(id, to, "tx-" + id, "track-" + id, "to " + status_name(to));
  }

  // Begins `id` and drives it to `target`, failing the test on any error.
  void make(const std::string& id, OrderStatus target) {
    auto begun = store_->begin(request(id));
    ASSERT_TRUE(begun.ok()) << begun.error().message();
    for (OrderStatus s : path_to(target)) {
      auto moved = move(id, s);
      ASSERT_TRUE(moved.ok()) << moved.error().message();
    }
  }

  std::atomic<int64_t> now_{1'700'000'000'000};
  std::unique_ptr<OrderStore> store_;
};

TEST_F(OrderStoreTest, BeginStoresThePendingOrder) {
  auto order = store_->begin(request("o1"));
  ASSERT_TRUE(order.ok()) << order.error().message();
  EXPECT_EQ(order.value().status(), hipstershop::PENDING);
  EXPECT_EQ(order.value().user_id(), "u1");
  EXPECT_EQ(order.value().email(), "someone@example.com");
  EXPECT_EQ(order.value().currency_code(), "USD");
  ASSERT_EQ(order.value().items_size(), 1);
  EXPECT_EQ(order.value().items(0).item().quantity(), 2);
  EXPECT_EQ(order.value().total().units(), 48);
  EXPECT_EQ(order.value().total().currency_code(), "USD");
  EXPECT_EQ(order.value().shipping_cost().nanos(), 990'000'000);
  EXPECT_EQ(order.value().shipping_address().zip_code(), 94043);
  EXPECT_EQ(order.value().created_unix_ms(), now_.load());
  EXPECT_EQ(order.value().updated_unix_ms(), now_.load());
  ASSERT_EQ(order.value().history_size(), 1);
  EXPECT_EQ(order.value().history(0).status(), hipstershop::PENDING);

  auto again = store_->begin(request("o1"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind(), ErrorKind::kAlreadyExists);

  auto no_user = store_->begin(request("o2", ""));
  ASSERT_FALSE(no_user.ok());
  EXPECT_EQ(no_user.error().kind(), ErrorKind::kInvalidArgument);
  auto bad_money = request("o3");
  bad_money.mutable_total()->set_nanos(-1);
  EXPECT_EQ(store_->begin(bad_money).error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(store_->get("o2").error().kind(), ErrorKind::kNotFound);
}

TEST_F(OrderStoreTest, EveryAllowedMoveSucceeds) {
  const OrderStatus statuses[] = {hipstershop::PENDING,    hipstershop::CHARGED,
                                  hipstershop::SHIPPED,    hipstershop::PLACED,
                                  hipstershop::CANCELLING, hipstershop::CANCELLED,
                                  hipstershop::FAILED,     hipstershop::COMPENSATING};
  int moves = 0;
  for (OrderStatus from : statuses) {
    for (OrderStatus to : statuses) {
      if (!is_allowed_move(from, to)) continue;
      std::string id = status_name(from) + "-" + status_name(to);
      make(id, from);
      auto moved = move(id, to);
      ASSERT_TRUE(moved.ok()) << id << ": " << moved.error().message();
      EXPECT_EQ(moved.value().status(), to);
      EXPECT_EQ(moved.value().history(moved.value().history_size() - 1).status(), to);
      ++moves;
    }
  }
  EXPECT_EQ(moves, 12);
}

TEST_F(OrderStoreTest, ForbiddenMovesNameFromAndTo) {
  const std::pair<OrderStatus, OrderStatus> forbidden[] = {
      {hipstershop::PENDING, hipstershop::SHIPPED},
      {hipstershop::PENDING, hipstershop::PLACED},
      {hipstershop::CHARGED, hipstershop::PLACED},
      {hipstershop::PLACED, hipstershop::FAILED},
      {hipstershop::FAILED, hipstershop::CHARGED},
      {hipstershop::CANCELLED, hipstershop::PLACED},
      {hipstershop::COMPENSATING, hipstershop::PLACED},
      {hipstershop::CANCELLING, hipstershop::PLACED},
      {hipstershop::SHIPPED, hipstershop::PENDING},
  };
  for (auto [from, to] : forbidden) {
    std::string id = "x-" + status_name(from) + "-" + status_name(to);
    make(id, from);
    auto moved = move(id, to);
    ASSERT_FALSE(moved.ok()) << id;
    EXPECT_EQ(moved.error().kind(), ErrorKind::kFailedPrecondition);
    EXPECT_NE(moved.error().message().find("from " + status_name(from) + " to " + status_name(to)),
              std::string::npos)
        << moved.error().message();
    EXPECT_EQ(store_->get(id).value().status(), from);  // nothing was written
  }
}

TEST_F(OrderStoreTest, BadAdvanceArguments) {
  make("o1", hipstershop::PENDING);
  EXPECT_EQ(move("nope", hipstershop::CHARGED).error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(move("", hipstershop::CHARGED).error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(move("o1", hipstershop::ORDER_STATUS_UNSPECIFIED).error().kind(),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(move("o1", static_cast<OrderStatus>(99)).error().kind(), ErrorKind::kInvalidArgument);
  auto no_tx = store_->advance("o1", hipstershop::CHARGED, "", "", "");
  ASSERT_FALSE(no_tx.ok());
  EXPECT_EQ(no_tx.error().kind(), ErrorKind::kInvalidArgument);
  ASSERT_TRUE(store_->advance("o1", hipstershop::CHARGED, "t1", "", "").ok());
  EXPECT_EQ(store_->advance("o1", hipstershop::SHIPPED, "", "", "").error().kind(),
            ErrorKind::kInvalidArgument);
  auto other_tx = store_->advance("o1", hipstershop::SHIPPED, "t2", "track", "");
  ASSERT_FALSE(other_tx.ok());
  EXPECT_EQ(other_tx.error().kind(), ErrorKind::kFailedPrecondition);
  // The recorded transaction id carries on when a later move omits it.
  auto shipped = store_->advance("o1", hipstershop::SHIPPED, "", "track", "");
  ASSERT_TRUE(shipped.ok());
  EXPECT_EQ(shipped.value().transaction_id(), "t1");
  EXPECT_EQ(shipped.value().tracking_id(), "track");
}

TEST_F(OrderStoreTest, RepeatingTheCurrentStatusIsANoOp) {
  make("o1", hipstershop::CHARGED);
  now_ += 1000;
  auto again = move("o1", hipstershop::CHARGED);
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(again.value().status(), hipstershop::CHARGED);
  EXPECT_EQ(again.value().history_size(), 2);
  EXPECT_EQ(again.value().updated_unix_ms(), now_.load() - 1000);
  EXPECT_TRUE(store_->advance("o1", hipstershop::CHARGED, "", "", "retry").ok());
  EXPECT_EQ(store_->get("o1").value().history_size(), 2);
}

TEST_F(OrderStoreTest, HistoryIsOldestFirstWithTimesAndDetails) {
  make("o1", hipstershop::PENDING);
  now_ += 5;
  ASSERT_TRUE(store_->advance("o1", hipstershop::CHARGED, "t", "", "charged ok").ok());
  now_ += 5;
  ASSERT_TRUE(store_->advance("o1", hipstershop::FAILED, "", "", "ship failed").ok());
  Order order = store_->get("o1").value();
  ASSERT_EQ(order.history_size(), 3);
  EXPECT_EQ(order.history(1).status(), hipstershop::CHARGED);
  EXPECT_EQ(order.history(1).detail(), "charged ok");
  EXPECT_EQ(order.history(2).status(), hipstershop::FAILED);
  EXPECT_EQ(order.history(2).at_unix_ms(), order.history(0).at_unix_ms() + 10);
  EXPECT_EQ(order.updated_unix_ms(), order.history(2).at_unix_ms());
}

TEST_F(OrderStoreTest, ListByUserIsNewestFirst) {
  make("a", hipstershop::PENDING);
  now_ += 10;
  ASSERT_TRUE(store_->begin(request("other", "u2")).ok());
  make("b", hipstershop::PLACED);
  make("c", hipstershop::PENDING);  // same created time as b: insertion order breaks the tie
  auto orders = store_->list_by_user("u1");
  ASSERT_TRUE(orders.ok());
  std::vector<std::string> ids;
  for (const Order& o : orders.value()) ids.push_back(o.order_id());
  EXPECT_EQ(ids, (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(orders.value()[1].history_size(), 4);
  EXPECT_TRUE(store_->list_by_user("nobody").value().empty());
}

TEST_F(OrderStoreTest, InFlightUsesTheLastUpdate) {
  make("pending", hipstershop::PENDING);
  make("placed", hipstershop::PLACED);
  make("failed", hipstershop::FAILED);
  make("compensating", hipstershop::COMPENSATING);
  make("cancelling", hipstershop::CANCELLING);
  int64_t t0 = now_.load();
  now_ += 60'000;
  make("fresh", hipstershop::SHIPPED);
  ASSERT_TRUE(move("pending", hipstershop::CHARGED).ok());  // updated now: no longer stale

  auto stale = store_->in_flight(t0 + 1);
  ASSERT_TRUE(stale.ok()) << stale.error().message();
  std::vector<std::string> ids;
  for (const Order& o : stale.value()) ids.push_back(o.order_id());
  EXPECT_EQ(ids, (std::vector<std::string>{"compensating", "cancelling"}));
  EXPECT_TRUE(store_->in_flight(t0).value().empty());  // strictly older than the threshold
  EXPECT_EQ(store_->in_flight(now_.load() + 1).value().size(), 4u);
}

TEST_F(OrderStoreTest, CountsFollowMoves) {
  make("a", hipstershop::PLACED);
  make("b", hipstershop::PLACED);
  make("c", hipstershop::FAILED);
  make("d", hipstershop::PENDING);
  ASSERT_TRUE(move("a", hipstershop::CANCELLED).ok());
  auto counts = store_->counts_by_status();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts.value(), (std::map<OrderStatus, int64_t>{{hipstershop::PENDING, 1},
                                                            {hipstershop::PLACED, 1},
                                                            {hipstershop::CANCELLED, 1},
                                                            {hipstershop::FAILED, 1}}));
  EXPECT_EQ(store_->all_orders().value().size(), 4u);
  EXPECT_EQ(store_->all_orders().value()[0].history_size(), 0);  // the scan omits history
}

TEST(OrderStoreFileTest, PersistsAcrossReopenAndOpensReadOnly) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::string data_dir = dir.path() + "/nested/data";  // created on open
  {
    auto store = OrderStore::open(data_dir);
    ASSERT_TRUE(store.ok()) << store.error().message();
    ASSERT_TRUE(store.value()->begin(request("o1")).ok());
    ASSERT_TRUE(store.value()->advance("o1", hipstershop::CHARGED, "t1", "", "").ok());
  }
  {
    auto store = OrderStore::open(data_dir);
    ASSERT_TRUE(store.ok()) << store.error().message();
    auto order = store.value()->get("o1");
    ASSERT_TRUE(order.ok());
    EXPECT_EQ(order.value().status(), hipstershop::CHARGED);
    EXPECT_EQ(order.value().transaction_id(), "t1");
    EXPECT_EQ(order.value().history_size(), 2);
    EXPECT_EQ(store.value()->counts_by_status().value().at(hipstershop::CHARGED), 1);
    EXPECT_EQ(store.value()->begin(request("o1")).error().kind(), ErrorKind::kAlreadyExists);
  }
  auto reader = OrderStore::open_read_only(data_dir);
  ASSERT_TRUE(reader.ok()) << reader.error().message();
  EXPECT_EQ(reader.value()->get("o1").value().status(), hipstershop::CHARGED);
  auto write = reader.value()->begin(request("o2"));
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().kind(), ErrorKind::kUnavailable);
}

TEST(OrderStoreFileTest, ReadOnlyOpenNamesTheMissingFile) {
  testing::TempDir dir;
  auto reader = OrderStore::open_read_only(dir.path());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().kind(), ErrorKind::kUnavailable);
  EXPECT_NE(reader.error().message().find(dir.path() + "/orders.db"), std::string::npos);
}

TEST(OrderStoreFileTest, RefusesANewerSchema) {
  testing::TempDir dir;
  {
    auto db = sqlite::Database::open(dir.path() + "/orders.db",
                                     sqlite::Database::Mode::kReadWriteCreate, 100);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db.value().exec("PRAGMA user_version = 99").ok());
  }
  auto store = OrderStore::open(dir.path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind(), ErrorKind::kFailedPrecondition);
  EXPECT_NE(store.error().message().find("99"), std::string::npos);
  EXPECT_FALSE(OrderStore::open_read_only(dir.path()).ok());
}

TEST(OrderStoreFileTest, UnusableDataDirIsUnavailable) {
  testing::TempDir dir;
  std::string file = dir.path() + "/plain-file";
  auto created = sqlite::Database::open(file, sqlite::Database::Mode::kReadWriteCreate, 100);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(created.value().exec("CREATE TABLE t(x)").ok());
  auto store = OrderStore::open(file + "/sub");  // a directory below a regular file
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().kind(), ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace shop
