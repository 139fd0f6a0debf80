#include "common/http/cookies.h"

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>

namespace stampede::http {
namespace {

TEST(ParseCookies, SplitsTrimsAndUnquotes) {
  const Cookies cookies =
      parse_cookies("shop_session-id=0b6a8f4e-1c; shop_currency=EUR;\tquoted=\"a b\" ;x=");
  EXPECT_EQ(cookies.size(), 4u);
  EXPECT_EQ(cookies.at("shop_session-id"), "0b6a8f4e-1c");
  EXPECT_EQ(cookies.at("shop_currency"), "EUR");
  EXPECT_EQ(cookies.at("quoted"), "a b");
  EXPECT_EQ(cookies.at("x"), "");
}

TEST(ParseCookies, SkipsJunkAndKeepsTheFirstOfRepeats) {
  const Cookies cookies = parse_cookies(";; novalue; =anon; a=1; a=2; b==c; %41=%42");
  EXPECT_EQ(cookies.size(), 3u);
  EXPECT_EQ(cookies.at("a"), "1");
  EXPECT_EQ(cookies.at("b"), "=c");
  EXPECT_EQ(cookies.at("%41"), "%42");  // not percent-decoded
  EXPECT_TRUE(parse_cookies("").empty());
  EXPECT_TRUE(parse_cookies("   ").empty());
  EXPECT_EQ(parse_cookies("q=\"").at("q"), "\"");  // a lone quote is a value
}

TEST(ParseCookies, ReadsEveryCookieHeaderOfARequest) {
  Request request;
  request.insert(boost::beast::http::field::cookie, "a=1; b=2");
  request.insert(boost::beast::http::field::cookie, "c=3; a=9");
  const Cookies cookies = parse_cookies(request);
  EXPECT_EQ(cookies.size(), 3u);
  EXPECT_EQ(cookies.at("a"), "1");
  EXPECT_EQ(cookies.at("c"), "3");
  EXPECT_EQ(find_cookie(request, "b"), "2");
  EXPECT_EQ(find_cookie(request, "zz"), std::nullopt);
  EXPECT_EQ(find_cookie(Request{}, "a"), std::nullopt);
}

}  // namespace
}  // namespace stampede::http
