#include "shop-reference/frontend/session.h"

#include <gtest/gtest.h>

#include "shop-reference/common/ids.h"
#include "shop-reference/frontend/inputs.h"

namespace shop {
namespace {

namespace http = boost::beast::http;

stampede::http::Request with_cookie(const std::string& cookie) {
  stampede::http::Request r{http::verb::get, "/", 11};
  if (!cookie.empty()) r.set(http::field::cookie, cookie);
  return r;
}

TEST(FrontendSessionTest, NewVisitorGetsAUuidAndUsd) {
  Session s = read_session(with_cookie(""));
  EXPECT_TRUE(s.new_id);
  EXPECT_TRUE(is_uuid(s.id)) << s.id;
  EXPECT_EQ(s.currency, "USD");
  EXPECT_NE(read_session(with_cookie("")).id, s.id);
}

TEST(FrontendSessionTest, ReusesTheCookies) {
  Session s = read_session(with_cookie("shop_session-id=abc-123; shop_currency=JPY"));
  EXPECT_FALSE(s.new_id);
  EXPECT_EQ(s.id, "abc-123");
  EXPECT_EQ(s.currency, "JPY");
}

TEST(FrontendSessionTest, MalformedCookiesAreReplaced) {
  Session s = read_session(with_cookie("shop_session-id=a%20b<x>; shop_currency=XXX"));
  EXPECT_TRUE(s.new_id);
  EXPECT_TRUE(is_uuid(s.id));
  EXPECT_EQ(s.currency, "USD");
  EXPECT_TRUE(read_session(with_cookie("shop_session-id=" + std::string(65, 'a'))).new_id);
}

TEST(FrontendSessionTest, CookieAttributes) {
  EXPECT_EQ(session_cookie("id1"),
            "shop_session-id=id1; Path=/; Max-Age=172800; HttpOnly; SameSite=Lax");
  EXPECT_EQ(currency_cookie("EUR"),
            "shop_currency=EUR; Path=/; Max-Age=172800; HttpOnly; SameSite=Lax");
  auto expired = expired_cookies();
  ASSERT_EQ(expired.size(), 2u);
  EXPECT_EQ(expired[0].rfind("shop_session-id=;", 0), 0u);
  EXPECT_EQ(expired[1].rfind("shop_currency=;", 0), 0u);
  for (const auto& c : expired) EXPECT_NE(c.find("Max-Age=0"), std::string::npos);
}

TEST(FrontendSessionTest, Whitelist) {
  EXPECT_EQ(whitelisted_currencies(),
            (std::vector<std::string>{"USD", "EUR", "CAD", "JPY", "GBP", "TRY"}));
  EXPECT_TRUE(is_whitelisted_currency("TRY"));
  EXPECT_FALSE(is_whitelisted_currency("usd"));
  EXPECT_FALSE(is_whitelisted_currency("CHF"));
}

TEST(FrontendInputsTest, QuantityIsAnIntegerFromOneToTen) {
  EXPECT_EQ(parse_quantity("1"), 1);
  EXPECT_EQ(parse_quantity("10"), 10);
  for (const char* bad : {"0", "11", "-1", "", "2x", " 2", "1.5", "99999999999"}) {
    EXPECT_FALSE(parse_quantity(bad).has_value()) << bad;
  }
}

TEST(FrontendInputsTest, Identifiers) {
  EXPECT_TRUE(is_valid_product_id("OLJCESPC7Z"));
  EXPECT_FALSE(is_valid_product_id(""));
  EXPECT_FALSE(is_valid_product_id("a/b"));
  EXPECT_FALSE(is_valid_product_id("<script>"));
  EXPECT_TRUE(is_valid_order_id(uuid4()));
  EXPECT_FALSE(is_valid_order_id(std::string(129, 'a')));
}

}  // namespace
}  // namespace shop
