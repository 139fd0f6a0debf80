#include "engine/http/cookie_jar.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

constexpr int64_t kNow = 1700000000;  // 2023-11-14T22:13:20Z

Url url(std::string_view text) {
  Result<Url> parsed = parse_url(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? parsed.value() : Url{};
}

// Stores one Set-Cookie value received from `from` and returns the header for `to`.
std::string round_trip(std::string_view set_cookie, std::string_view from, std::string_view to,
                       int64_t later = 0) {
  CookieJar jar;
  jar.store(set_cookie, url(from), kNow);
  return jar.header_for(url(to), kNow + later);
}

int64_t date(std::string_view text) {
  int64_t seconds = -1;
  EXPECT_TRUE(parse_cookie_date(text, &seconds)) << text;
  return seconds;
}

bool bad_date(std::string_view text) {
  int64_t seconds = 0;
  return !parse_cookie_date(text, &seconds);
}

TEST(CookieJar, EmptyJarIsTinyAndSendsNothing) {
  EXPECT_LE(sizeof(CookieJar), 32u);
  CookieJar jar;
  EXPECT_EQ(jar.size(), 0u);
  EXPECT_EQ(jar.cookies().capacity(), 0u);
  EXPECT_EQ(jar.header_for(url("http://a/"), kNow), "");
}

TEST(CookieJar, StoresAndSends) {
  CookieJar jar;
  Url shop = url("http://shop.example/");
  jar.store("shop_session-id=abc-123; Max-Age=172800", shop, kNow);
  jar.store(" shop_currency = USD ", shop, kNow);
  EXPECT_EQ(jar.size(), 2u);
  EXPECT_EQ(jar.header_for(shop, kNow), "shop_session-id=abc-123; shop_currency=USD");
  EXPECT_EQ(jar.rejected(), 0u);
}

TEST(CookieJar, HostOnlyWithoutDomain) {
  EXPECT_EQ(round_trip("a=1", "http://shop.example/", "http://shop.example/x"), "a=1");
  EXPECT_EQ(round_trip("a=1", "http://shop.example/", "http://www.shop.example/"), "");
  EXPECT_EQ(round_trip("a=1", "http://www.shop.example/", "http://shop.example/"), "");
  EXPECT_EQ(round_trip("a=1", "http://shop.example/", "http://shop.example:8080/"), "a=1");
  EXPECT_EQ(round_trip("a=1", "http://shop.example/", "http://other.example/"), "");
  CookieJar jar;
  jar.store("a=1", url("http://Shop.Example/"), kNow);
  EXPECT_TRUE(jar.cookies()[0].host_only);
  EXPECT_EQ(jar.cookies()[0].domain, "shop.example");
}

TEST(CookieJar, DomainAttributeMatchesSubdomains) {
  const char* cookie = "a=1; Domain=shop.example";
  EXPECT_EQ(round_trip(cookie, "http://shop.example/", "http://shop.example/"), "a=1");
  EXPECT_EQ(round_trip(cookie, "http://shop.example/", "http://www.shop.example/"), "a=1");
  EXPECT_EQ(round_trip(cookie, "http://www.shop.example/", "http://shop.example/"), "a=1");
  EXPECT_EQ(round_trip(cookie, "http://shop.example/", "http://a.b.shop.example/"), "a=1");
  EXPECT_EQ(round_trip(cookie, "http://shop.example/", "http://xshop.example/"), "");
  EXPECT_EQ(round_trip(cookie, "http://shop.example/", "http://example/"), "");
  // Leading dot and case do not matter.
  EXPECT_EQ(
      round_trip("a=1; domain=.SHOP.example", "http://shop.example/", "http://www.shop.example/"),
      "a=1");
  // An empty Domain is ignored: the cookie is host-only.
  EXPECT_EQ(round_trip("a=1; Domain=", "http://shop.example/", "http://www.shop.example/"), "");
}

TEST(CookieJar, DomainTheHostDoesNotMatchIsRejected) {
  CookieJar jar;
  jar.store("a=1; Domain=other.example", url("http://shop.example/"), kNow);
  jar.store("a=1; Domain=www.shop.example", url("http://shop.example/"), kNow);
  jar.store("a=1; Domain=hop.example", url("http://shop.example/"), kNow);
  EXPECT_EQ(jar.size(), 0u);
  EXPECT_EQ(jar.rejected(), 3u);
}

TEST(CookieJar, IpHostsOnlyMatchExactly) {
  EXPECT_EQ(round_trip("a=1; Domain=127.0.0.1", "http://127.0.0.1/", "http://127.0.0.1/"), "a=1");
  CookieJar jar;
  jar.store("a=1; Domain=0.0.1", url("http://127.0.0.1/"), kNow);
  EXPECT_EQ(jar.rejected(), 1u);
  EXPECT_EQ(round_trip("a=1", "http://[::1]:8080/", "http://[::1]:9090/"), "a=1");
}

TEST(CookieJar, DefaultPathIsRequestDirectory) {
  CookieJar jar;
  jar.store("a=1", url("http://h/shop/cart/items?x=1"), kNow);
  jar.store("b=1", url("http://h/cart"), kNow);
  jar.store("c=1", url("http://h/"), kNow);
  jar.store("d=1; Path=relative", url("http://h/x/y"), kNow);
  ASSERT_EQ(jar.size(), 4u);
  EXPECT_EQ(jar.cookies()[0].path, "/shop/cart");
  EXPECT_EQ(jar.cookies()[1].path, "/");
  EXPECT_EQ(jar.cookies()[2].path, "/");
  EXPECT_EQ(jar.cookies()[3].path, "/x");
}

TEST(CookieJar, PathMatching) {
  const char* cookie = "a=1; Path=/shop";
  EXPECT_EQ(round_trip(cookie, "http://h/", "http://h/shop"), "a=1");
  EXPECT_EQ(round_trip(cookie, "http://h/", "http://h/shop/"), "a=1");
  EXPECT_EQ(round_trip(cookie, "http://h/", "http://h/shop/cart?x=1"), "a=1");
  EXPECT_EQ(round_trip(cookie, "http://h/", "http://h/shopping"), "");
  EXPECT_EQ(round_trip(cookie, "http://h/", "http://h/"), "");
  EXPECT_EQ(round_trip(cookie, "http://h/", "http://h/Shop"), "");
  EXPECT_EQ(round_trip("a=1; Path=/shop/", "http://h/", "http://h/shop/cart"), "a=1");
  EXPECT_EQ(round_trip("a=1; Path=/shop/", "http://h/", "http://h/shop"), "");
  EXPECT_EQ(round_trip("a=1; Path=/", "http://h/a/b", "http://h/anything"), "a=1");
}

TEST(CookieJar, LongerPathsFirstThenCreationOrder) {
  CookieJar jar;
  Url h = url("http://h/");
  jar.store("root1=1; Path=/", h, kNow);
  jar.store("deep=1; Path=/shop/cart", h, kNow);
  jar.store("mid=1; Path=/shop", h, kNow);
  jar.store("root2=1; Path=/", h, kNow);
  EXPECT_EQ(jar.header_for(url("http://h/shop/cart/1"), kNow), "deep=1; mid=1; root1=1; root2=1");
  EXPECT_EQ(jar.header_for(url("http://h/shop"), kNow), "mid=1; root1=1; root2=1");
}

TEST(CookieJar, ReplacesSameNameDomainPathKeepingCreationOrder) {
  CookieJar jar;
  Url h = url("http://h/");
  jar.store("a=1", h, kNow);
  jar.store("b=1", h, kNow);
  jar.store("a=2; HttpOnly", h, kNow);
  EXPECT_EQ(jar.size(), 2u);
  EXPECT_EQ(jar.header_for(h, kNow), "a=2; b=1");
  EXPECT_TRUE(jar.cookies()[0].http_only);
  jar.store("a=3; Path=/x", h, kNow);   // another path: another cookie
  jar.store("a=4; Domain=h", h, kNow);  // same domain string: replaces the host-only one
  EXPECT_EQ(jar.size(), 3u);
  EXPECT_EQ(jar.header_for(url("http://h/x"), kNow), "a=3; a=4; b=1");
  EXPECT_FALSE(jar.cookies()[0].host_only);
}

TEST(CookieJar, ExpiresInThePastDeletes) {
  CookieJar jar;
  Url h = url("http://h/");
  jar.store("a=1", h, kNow);
  jar.store("a=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT", h, kNow);
  EXPECT_EQ(jar.size(), 0u);
  jar.store("b=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT", h, kNow);
  EXPECT_EQ(jar.size(), 0u);
  EXPECT_EQ(jar.rejected(), 0u);
}

TEST(CookieJar, ExpiresInTheFutureUntilItPasses) {
  const char* cookie = "a=1; Expires=Wed, 15 Nov 2023 00:00:00 GMT";  // kNow + 6400 s
  EXPECT_EQ(round_trip(cookie, "http://h/", "http://h/"), "a=1");
  EXPECT_EQ(round_trip(cookie, "http://h/", "http://h/", 6399), "a=1");
  EXPECT_EQ(round_trip(cookie, "http://h/", "http://h/", 6400), "");
  // An unparsable Expires is ignored: the cookie is a session cookie.
  CookieJar jar;
  jar.store("a=1; Expires=someday", url("http://h/"), kNow);
  ASSERT_EQ(jar.size(), 1u);
  EXPECT_EQ(jar.cookies()[0].expires, CookieJar::kSession);
}

TEST(CookieJar, MaxAge) {
  EXPECT_EQ(round_trip("a=1; Max-Age=60", "http://h/", "http://h/", 59), "a=1");
  EXPECT_EQ(round_trip("a=1; Max-Age=60", "http://h/", "http://h/", 60), "");
  EXPECT_EQ(round_trip("a=1; Max-Age=99999999999999999999", "http://h/", "http://h/", 1 << 30),
            "a=1");
  CookieJar jar;
  Url h = url("http://h/");
  jar.store("a=1", h, kNow);
  jar.store("b=1", h, kNow);
  jar.store("a=1; Max-Age=0", h, kNow);
  jar.store("b=1; max-age=-5", h, kNow);
  EXPECT_EQ(jar.size(), 0u);
  // A malformed Max-Age is ignored.
  jar.store("c=1; Max-Age=1x", h, kNow);
  jar.store("d=1; Max-Age=", h, kNow);
  ASSERT_EQ(jar.size(), 2u);
  EXPECT_EQ(jar.cookies()[0].expires, CookieJar::kSession);
}

TEST(CookieJar, MaxAgeWinsOverExpiresInEitherOrder) {
  const char* past = "Expires=Thu, 01 Jan 1970 00:00:00 GMT";
  EXPECT_EQ(round_trip(std::string("a=1; Max-Age=60; ") + past, "http://h/", "http://h/"), "a=1");
  EXPECT_EQ(round_trip(std::string("a=1; ") + past + "; Max-Age=60", "http://h/", "http://h/"),
            "a=1");
  EXPECT_EQ(
      round_trip("a=1; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT", "http://h/", "http://h/"),
      "");
}

TEST(CookieJar, SecureOnlyOverHttps) {
  const char* cookie = "a=1; Secure";
  EXPECT_EQ(round_trip(cookie, "https://h/", "https://h/"), "a=1");
  EXPECT_EQ(round_trip(cookie, "https://h/", "http://h/"), "");
  EXPECT_EQ(round_trip("a=1", "https://h/", "http://h/"), "a=1");
}

TEST(CookieJar, HttpOnlyIsStoredButStillSent) {
  CookieJar jar;
  jar.store("a=1; HttpOnly; Secure", url("https://h/"), kNow);
  ASSERT_EQ(jar.size(), 1u);
  EXPECT_TRUE(jar.cookies()[0].http_only);
  EXPECT_TRUE(jar.cookies()[0].secure);
  EXPECT_EQ(jar.header_for(url("https://h/"), kNow), "a=1");
}

TEST(CookieJar, AttributesAreCaseInsensitiveAndLastOneWins) {
  CookieJar jar;
  jar.store("a=1; PATH=/x ; path=/y; DOMAIN=h; SECURE; UnknownAttr=3", url("https://h/"), kNow);
  ASSERT_EQ(jar.size(), 1u);
  EXPECT_EQ(jar.cookies()[0].path, "/y");
  EXPECT_FALSE(jar.cookies()[0].host_only);
  EXPECT_TRUE(jar.cookies()[0].secure);
}

TEST(CookieJar, ValuesKeepQuotesAndEqualsSigns) {
  EXPECT_EQ(round_trip("a=\"quoted\"", "http://h/", "http://h/"), "a=\"quoted\"");
  EXPECT_EQ(round_trip("t=x=y==", "http://h/", "http://h/"), "t=x=y==");
  EXPECT_EQ(round_trip("empty=", "http://h/", "http://h/"), "empty=");
}

TEST(CookieJar, MalformedValuesAreCountedAndIgnored) {
  CookieJar jar;
  Url h = url("http://h/");
  jar.store("", h, kNow);
  jar.store("novalue", h, kNow);
  jar.store("=value", h, kNow);
  jar.store("  =x; Path=/", h, kNow);
  jar.store("a=1\r\nX-Injected: 1", h, kNow);
  jar.store("big=" + std::string(CookieJar::kMaxCookieBytes, 'x'), h, kNow);
  EXPECT_EQ(jar.size(), 0u);
  EXPECT_EQ(jar.rejected(), 6u);
}

TEST(CookieJar, SetClearSize) {
  CookieJar jar;
  jar.set("token", "t1", ".Shop.Example", "");
  jar.set("scoped", "s", "shop.example", "/api");
  jar.set("", "x", "shop.example", "/");
  jar.set("x", "x", "", "/");
  EXPECT_EQ(jar.size(), 2u);
  EXPECT_EQ(jar.rejected(), 2u);
  EXPECT_EQ(jar.header_for(url("https://www.shop.example/api/cart"), kNow), "scoped=s; token=t1");
  EXPECT_EQ(jar.header_for(url("http://shop.example/"), kNow), "token=t1");
  jar.set("token", "t2", "shop.example", "/");
  EXPECT_EQ(jar.header_for(url("http://shop.example/"), kNow), "token=t2");
  jar.clear();
  EXPECT_EQ(jar.size(), 0u);
  EXPECT_EQ(jar.header_for(url("http://shop.example/"), kNow), "");
  EXPECT_EQ(jar.rejected(), 2u);
}

TEST(CookieJar, EvictsOldestBeyondCapacity) {
  CookieJar jar;
  Url h = url("http://h/");
  for (size_t i = 0; i <= CookieJar::kMaxCookies; ++i) {
    jar.store("c" + std::to_string(i) + "=1", h, kNow);
  }
  EXPECT_EQ(jar.size(), CookieJar::kMaxCookies);
  EXPECT_EQ(jar.cookies().front().name, "c1");
  EXPECT_EQ(jar.cookies().back().name, "c" + std::to_string(CookieJar::kMaxCookies));
}

TEST(CookieDate, CommonFormats) {
  EXPECT_EQ(date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);   // IMF-fixdate
  EXPECT_EQ(date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);  // RFC 850
  EXPECT_EQ(date("Sun Nov  6 08:49:37 1994"), 784111777);        // asctime
  EXPECT_EQ(date("Sun, 06-Nov-1994 08:49:37 GMT"), 784111777);   // Netscape
  EXPECT_EQ(date("Sun, 6 Nov 1994 8:49:37 UTC"), 784111777);
  EXPECT_EQ(date("06 november 1994 08:49:37"), 784111777);
  EXPECT_EQ(date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(date("Wed, 15 Nov 2023 00:00:00 GMT"), kNow + 6400);
  EXPECT_EQ(date("Thu, 01 Jan 2069 00:00:00 GMT"), date("Thu, 01 Jan 69 00:00:00 GMT"));
  EXPECT_EQ(date("Tue, 29 Feb 2000 12:00:00 GMT"), 951825600);
  EXPECT_EQ(date("Fri, 31 Dec 9999 23:59:59 GMT"), 253402300799);
}

TEST(CookieDate, RejectsInvalidDates) {
  EXPECT_TRUE(bad_date(""));
  EXPECT_TRUE(bad_date("tomorrow"));
  EXPECT_TRUE(bad_date("Sun, 06 Nov 1994"));               // no time
  EXPECT_TRUE(bad_date("Sun, Nov 1994 08:49:37 GMT"));     // no day
  EXPECT_TRUE(bad_date("Sun, 06 1994 08:49:37 GMT"));      // no month
  EXPECT_TRUE(bad_date("Sun, 06 Nov 08:49:37 GMT"));       // no year
  EXPECT_TRUE(bad_date("Thu, 29 Feb 2001 00:00:00 GMT"));  // not a leap year
  EXPECT_TRUE(bad_date("Sun, 32 Nov 1994 08:49:37 GMT"));
  EXPECT_TRUE(bad_date("Sun, 06 Nov 1994 24:00:00 GMT"));
  EXPECT_TRUE(bad_date("Sun, 06 Nov 1994 08:60:00 GMT"));
  EXPECT_TRUE(bad_date("Sun, 06 Nov 1600 08:49:37 GMT"));
  EXPECT_TRUE(bad_date("Sun, 06 Nov 19945 08:49:37 GMT"));  // year has 5 digits
}

}  // namespace
}  // namespace stampede
