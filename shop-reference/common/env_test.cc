#include "shop-reference/common/env.h"

#include <gtest/gtest.h>

#include <map>
#include "shop-reference/common/testing/env_of.h"

namespace shop {
namespace {

using testing::env_of;

TEST(Env, RequiredNamesTheVariableWhenMissing) {
  auto r = env_of({}).required("CART_SERVICE_ADDR", "address of the cart service");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "environment CART_SERVICE_ADDR: required but not set (address of the cart service)");
  EXPECT_EQ(env_of({{"X", "a:1"}}).required("X", "").value(), "a:1");
}

TEST(Env, EmptyCountsAsUnset) {
  EXPECT_FALSE(env_of({{"X", ""}}).required("X", "x").ok());
  EXPECT_EQ(env_of({{"X", ""}}).string("X", "d"), "d");
}

TEST(Env, IntegerChecksSyntaxAndRange) {
  auto e = env_of({{"A", "12"}, {"B", "12x"}, {"C", "-1"}, {"D", "99999999999999999999"}});
  EXPECT_EQ(e.integer("A", 0, 0, 100).value(), 12);
  EXPECT_EQ(e.integer("MISSING", 7, 0, 100).value(), 7);
  auto b = e.integer("B", 0, 0, 100);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().message(), "environment B: expected an integer in [0, 100], got '12x'");
  EXPECT_FALSE(e.integer("C", 0, 0, 100).ok());
  EXPECT_FALSE(e.integer("D", 0, 0, 100).ok());
}

TEST(Env, NumberBooleanMillis) {
  auto e = env_of({{"R", "0.25"},
                   {"BAD", "nan"},
                   {"T", "Yes"},
                   {"F", "off"},
                   {"Q", "maybe"},
                   {"MS", "1500"},
                   {"NEG", "-5"}});
  EXPECT_DOUBLE_EQ(e.number("R", 0, 0, 1).value(), 0.25);
  EXPECT_FALSE(e.number("BAD", 0, 0, 1).ok());
  EXPECT_TRUE(e.boolean("T", false).value());
  EXPECT_FALSE(e.boolean("F", true).value());
  auto q = e.boolean("Q", false);
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.error().message().find("environment Q"), std::string::npos);
  EXPECT_EQ(e.millis("MS", std::chrono::milliseconds(1)).value().count(), 1500);
  EXPECT_FALSE(e.millis("NEG", std::chrono::milliseconds(1)).ok());
  EXPECT_EQ(prefixed("PAYMENT", "DEADLINE_MS"), "PAYMENT_DEADLINE_MS");
}

}  // namespace
}  // namespace shop
