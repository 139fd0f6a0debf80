// RedisCartStore beyond the shared contract: REDIS_ADDR parsing, and what happens when Redis
// dies, hangs, comes back, or holds data we did not write.
#include "shop-reference/cart/redis_cart_store.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include "shop-reference/cart/cart_test_printers.h"
#include "shop-reference/cart/redis_test_server.h"

namespace shop {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(ParseRedisAddrTest, AcceptsHostPort) {
  auto a = parse_redis_addr("redis-cart:6379");
  ASSERT_TRUE(a.ok()) << a.error().message();
  EXPECT_EQ(a.value().host, "redis-cart");
  EXPECT_EQ(a.value().port, 6379);
  auto b = parse_redis_addr("127.0.0.1:1");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b.value().host, "127.0.0.1");
  EXPECT_EQ(b.value().port, 1);
  auto c = parse_redis_addr("[::1]:65535");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c.value().host, "::1");
  EXPECT_EQ(c.value().port, 65535);
  EXPECT_EQ(c.value().to_string(), "[::1]:65535");
  EXPECT_EQ(a.value().to_string(), "redis-cart:6379");
}

TEST(ParseRedisAddrTest, RejectsMalformed) {
  struct Bad {
    const char* addr;
    const char* why;
  };
  const Bad cases[] = {
      {"", "expected host:port"},
      {"redis-cart", "expected host:port"},
      {"redis-cart:", "port must be a number in 1..65535"},
      {":6379", "empty host"},
      {"redis:abc", "port must be a number in 1..65535"},
      {"redis:0", "port must be a number in 1..65535"},
      {"redis:65536", "port must be a number in 1..65535"},
      {"redis:-1", "port must be a number in 1..65535"},
      {"redis:6379x", "port must be a number in 1..65535"},
      {"redis:99999999999", "port must be a number in 1..65535"},
      {"::1:6379", "an IPv6 host must be in brackets, as [::1]:6379"},
      {"[::1]6379", "expected host:port"},
      {"[::1:6379", "missing ']' after IPv6 host"},
      {"[]:6379", "empty host"},
  };
  for (const Bad& c : cases) {
    auto r = parse_redis_addr(c.addr);
    ASSERT_FALSE(r.ok()) << c.addr;
    EXPECT_EQ(r.error().message(), "REDIS_ADDR '" + std::string(c.addr) + "': " + c.why);
  }
}

class RedisFailureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(testing::RedisTestServer::kBinary, X_OK) != 0) {
      GTEST_SKIP() << testing::RedisTestServer::kBinary << " is not installed";
    }
    auto s = testing::RedisTestServer::start();
    ASSERT_TRUE(s.ok()) << s.error().message();
    server_ = std::move(s).value();
    RedisPoolOptions options;
    options.connect_timeout = milliseconds(500);
    options.command_timeout = milliseconds(300);
    options.pool_size = 2;
    store_ = std::make_unique<RedisCartStore>(RedisAddr{"127.0.0.1", server_->port()}, options);
  }

  void expect_unavailable(const CartStatus& s, const char* op) {
    ASSERT_FALSE(s.ok()) << op;
    EXPECT_EQ(s.error().kind(), CartErrorKind::kUnavailable) << s.error().message();
    EXPECT_EQ(s.error().message().rfind(std::string(op) + ": redis 127.0.0.1:", 0), 0u)
        << s.error().message();
  }

  // Writes directly, bypassing the store, to plant data the store did not write.
  void raw_command(const char* a, const char* b, const char* c = nullptr, const char* d = nullptr) {
    redisContext* ctx = redisConnect("127.0.0.1", server_->port());
    ASSERT_TRUE(ctx != nullptr && !ctx->err);
    auto* r = static_cast<redisReply*>(d ? redisCommand(ctx, "%s %s %s %s", a, b, c, d)
                                         : redisCommand(ctx, "%s %s %s", a, b, c));
    ASSERT_NE(r, nullptr);
    freeReplyObject(r);
    redisFree(ctx);
  }

  std::unique_ptr<testing::RedisTestServer> server_;
  std::unique_ptr<RedisCartStore> store_;
};

TEST_F(RedisFailureTest, KilledServerGivesUnavailableThenRecoversOnRestart) {
  ASSERT_TRUE(store_->add_item("u", "A", 1).ok());
  ASSERT_TRUE(store_->healthy());

  server_->kill();
  const auto start = steady_clock::now();
  expect_unavailable(store_->add_item("u", "A", 1), "add_item");
  auto get = store_->get_cart("u");
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error().kind(), CartErrorKind::kUnavailable);
  expect_unavailable(store_->empty_cart("u"), "empty_cart");
  EXPECT_FALSE(store_->healthy());
  // A hang guard, not a benchmark: a refused connection fails at once; 5 s would mean a hang.
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(5));

  auto restarted = server_->restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error().message();
  // The first call after the restart already succeeds: dead pooled connections were dropped.
  ASSERT_TRUE(store_->add_item("u", "B", 2).ok());
  EXPECT_TRUE(store_->healthy());
  auto cart = store_->get_cart("u");
  ASSERT_TRUE(cart.ok()) << cart.error().message();
  // No persistence: the cart from before the kill is gone.
  EXPECT_EQ(cart.value(), (std::vector<CartLine>{{"B", 2}}));
}

TEST_F(RedisFailureTest, RestartWhileConnectionsIdleIsInvisible) {
  // Open both pooled connections, then restart: the idle ones are stale, and the store must
  // notice before writing into them rather than fail the next calls.
  ASSERT_TRUE(store_->healthy());
  ASSERT_TRUE(store_->healthy());
  auto restarted = server_->restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error().message();
  for (int i = 0; i < 4; ++i) {
    auto s = store_->add_item("u", "A", 1);
    EXPECT_TRUE(s.ok()) << s.error().message();
  }
  auto cart = store_->get_cart("u");
  ASSERT_TRUE(cart.ok()) << cart.error().message();
  EXPECT_EQ(cart.value(), (std::vector<CartLine>{{"A", 4}}));
}

TEST_F(RedisFailureTest, HungServerTimesOutThenRecovers) {
  ASSERT_TRUE(store_->add_item("u", "A", 1).ok());
  server_->pause();
  const auto start = steady_clock::now();
  auto get = store_->get_cart("u");
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error().kind(), CartErrorKind::kUnavailable);
  EXPECT_NE(get.error().message().find("timed out after 300 ms"), std::string::npos)
      << get.error().message();
  EXPECT_FALSE(store_->healthy());
  // Hang guard: each call is bounded by the 300 ms command timeout.
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(5));
  server_->resume();
  // The timed-out connections were dropped, so their late replies cannot be mistaken for
  // answers to these commands.
  ASSERT_TRUE(store_->add_item("u", "A", 2).ok());
  auto cart = store_->get_cart("u");
  ASSERT_TRUE(cart.ok()) << cart.error().message();
  EXPECT_EQ(cart.value(), (std::vector<CartLine>{{"A", 3}}));
  EXPECT_TRUE(store_->healthy());
}

TEST_F(RedisFailureTest, NothingListeningIsUnavailable) {
  server_->kill();
  RedisCartStore never(RedisAddr{"127.0.0.1", server_->port()});
  EXPECT_FALSE(never.healthy());
  auto s = never.add_item("u", "A", 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), CartErrorKind::kUnavailable);
  EXPECT_NE(s.error().message().find("connect"), std::string::npos) << s.error().message();
}

TEST_F(RedisFailureTest, ForeignDataIsInternalError) {
  raw_command("HSET", "cart:u", "A", "lots");
  auto get = store_->get_cart("u");
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error().kind(), CartErrorKind::kInternal);
  EXPECT_NE(get.error().message().find("field 'A' holds 'lots'"), std::string::npos)
      << get.error().message();

  raw_command("SET", "cart:v", "not-a-hash");
  auto add = store_->add_item("v", "A", 1);
  ASSERT_FALSE(add.ok());
  EXPECT_EQ(add.error().kind(), CartErrorKind::kInternal);
  auto get_v = store_->get_cart("v");
  ASSERT_FALSE(get_v.ok());
  EXPECT_EQ(get_v.error().kind(), CartErrorKind::kInternal);
  EXPECT_TRUE(store_->empty_cart("v").ok());  // DEL works on any type
  EXPECT_TRUE(store_->healthy());
}

}  // namespace
}  // namespace shop
