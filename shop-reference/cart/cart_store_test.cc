// Behaviour every CartStore must have, run against MemoryCartStore and against RedisCartStore
// talking to a real redis-server child process.
#include "shop-reference/cart/cart_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "shop-reference/cart/cart_test_printers.h"
#include "shop-reference/cart/memory_cart_store.h"
#include "shop-reference/cart/redis_cart_store.h"
#include "shop-reference/cart/redis_test_server.h"

namespace shop {
namespace {

struct MemoryBackend {
  stampede::Status setup() { return stampede::Status::Ok(); }
  std::unique_ptr<CartStore> make() { return std::make_unique<MemoryCartStore>(); }
};

struct RedisBackend {
  stampede::Status setup() {
    auto s = testing::RedisTestServer::start();
    if (!s.ok()) return s.error();
    server = std::move(s).value();
    return stampede::Status::Ok();
  }
  std::unique_ptr<CartStore> make() {
    return std::make_unique<RedisCartStore>(RedisAddr{"127.0.0.1", server->port()});
  }
  std::unique_ptr<testing::RedisTestServer> server;
};

template <typename Backend>
class CartStoreContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::is_same_v<Backend, RedisBackend> &&
        access(testing::RedisTestServer::kBinary, X_OK) != 0) {
      GTEST_SKIP() << testing::RedisTestServer::kBinary << " is not installed";
    }
    auto s = backend_.setup();
    ASSERT_TRUE(s.ok()) << s.error().message();
    store_ = backend_.make();
  }

  std::vector<CartLine> cart(const std::string& user) {
    auto r = store_->get_cart(user);
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? r.value() : std::vector<CartLine>{};
  }

  void add(const std::string& user, const std::string& product, int32_t quantity) {
    auto s = store_->add_item(user, product, quantity);
    EXPECT_TRUE(s.ok()) << s.error().message();
  }

  Backend backend_;
  std::unique_ptr<CartStore> store_;
};

using Backends = ::testing::Types<MemoryBackend, RedisBackend>;
class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryBackend> ? "Memory" : "Redis";
  }
};
TYPED_TEST_SUITE(CartStoreContractTest, Backends, BackendNames);

TYPED_TEST(CartStoreContractTest, AddSumsQuantitiesAndGetSortsByProduct) {
  this->add("u1", "OLJCESPC7Z", 2);
  this->add("u1", "66VCHSJNUP", 1);
  this->add("u1", "OLJCESPC7Z", 3);
  this->add("u1", "0PUK6V6EV0", 10);
  EXPECT_EQ(this->cart("u1"),
            (std::vector<CartLine>{{"0PUK6V6EV0", 10}, {"66VCHSJNUP", 1}, {"OLJCESPC7Z", 5}}));
}

TYPED_TEST(CartStoreContractTest, UnknownUserHasEmptyCart) {
  EXPECT_TRUE(this->cart("nobody").empty());
}

TYPED_TEST(CartStoreContractTest, EmptyCartRemovesOnlyThatUsersCart) {
  this->add("u1", "A", 1);
  this->add("u2", "B", 2);
  ASSERT_TRUE(this->store_->empty_cart("u1").ok());
  EXPECT_TRUE(this->cart("u1").empty());
  EXPECT_EQ(this->cart("u2"), (std::vector<CartLine>{{"B", 2}}));
  EXPECT_TRUE(this->store_->empty_cart("u1").ok());     // again: no error
  EXPECT_TRUE(this->store_->empty_cart("never").ok());  // never had one: no error
  this->add("u1", "C", 1);                              // usable after emptying
  EXPECT_EQ(this->cart("u1"), (std::vector<CartLine>{{"C", 1}}));
}

TYPED_TEST(CartStoreContractTest, InvalidArgumentsAreRejectedWithoutChange) {
  auto expect_invalid = [](const CartStatus& s, const std::string& fragment) {
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), CartErrorKind::kInvalidArgument);
    EXPECT_NE(s.error().message().find(fragment), std::string::npos) << s.error().message();
  };
  expect_invalid(this->store_->add_item("", "A", 1), "user_id is empty");
  expect_invalid(this->store_->add_item("u", "", 1), "product_id is empty");
  expect_invalid(this->store_->add_item("u", "A", 0), "quantity must be > 0, got 0");
  expect_invalid(this->store_->add_item("u", "A", -3), "got -3");
  expect_invalid(this->store_->empty_cart(""), "empty_cart: user_id is empty");
  auto get = this->store_->get_cart("");
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error().kind(), CartErrorKind::kInvalidArgument);
  EXPECT_TRUE(this->cart("u").empty());
}

TYPED_TEST(CartStoreContractTest, QuantityLimitIsInt32Max) {
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  this->add("u", "A", kMax - 1);
  this->add("u", "A", 1);
  auto s = this->store_->add_item("u", "A", 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), CartErrorKind::kInvalidArgument);
  EXPECT_NE(s.error().message().find("2147483648"), std::string::npos) << s.error().message();
  EXPECT_EQ(this->cart("u"), (std::vector<CartLine>{{"A", kMax}}));
}

TYPED_TEST(CartStoreContractTest, IdsAreBinarySafe) {
  const std::string user = "user with spaces:and:colons\n\xc3\xa9";
  const std::string product = std::string("odd\0id", 6);
  this->add(user, product, 4);
  EXPECT_EQ(this->cart(user), (std::vector<CartLine>{{product, 4}}));
  EXPECT_TRUE(this->cart("user with spaces").empty());
}

TYPED_TEST(CartStoreContractTest, Healthy) {
  EXPECT_TRUE(this->store_->healthy());
}

TYPED_TEST(CartStoreContractTest, ConcurrentAddsAreAllCounted) {
  constexpr int kThreads = 4;
  constexpr int kAdds = 150;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &failures] {
      const std::string own = "user-" + std::to_string(t);
      for (int i = 0; i < kAdds; ++i) {
        // Everyone adds to the shared cart, and to a cart of their own.
        if (!this->store_->add_item("shared", "P" + std::to_string(i % 3), 1).ok()) ++failures[t];
        if (!this->store_->add_item(own, "Q", 2).ok()) ++failures[t];
        if (!this->store_->get_cart("shared").ok()) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
  EXPECT_EQ(this->cart("shared"), (std::vector<CartLine>{{"P0", kThreads * kAdds / 3},
                                                         {"P1", kThreads * kAdds / 3},
                                                         {"P2", kThreads * kAdds / 3}}));
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(this->cart("user-" + std::to_string(t)), (std::vector<CartLine>{{"Q", 2 * kAdds}}));
  }
}

TEST(CartErrorKindTest, Names) {
  EXPECT_STREQ(to_string(CartErrorKind::kInvalidArgument), "invalid_argument");
  EXPECT_STREQ(to_string(CartErrorKind::kUnavailable), "unavailable");
  EXPECT_STREQ(to_string(CartErrorKind::kInternal), "internal");
}

}  // namespace
}  // namespace shop
