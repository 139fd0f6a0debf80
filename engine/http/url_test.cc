#include "engine/http/url.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

Url must_parse(std::string_view text) {
  Result<Url> url = parse_url(text);
  EXPECT_TRUE(url.ok()) << (url.ok() ? "" : url.error().message());
  return url.ok() ? url.value() : Url{};
}

std::string parse_error(std::string_view text) {
  Result<Url> url = parse_url(text);
  EXPECT_FALSE(url.ok()) << text;
  return url.ok() ? "" : url.error().message();
}

std::string resolve(std::string_view base, std::string_view location) {
  Result<std::string> resolved = resolve_reference(must_parse(base), location);
  return resolved.ok() ? resolved.value() : "error: " + resolved.error().message();
}

TEST(ParseUrl, SplitsComponents) {
  Url url = must_parse("http://shop.example:8080/api/cart?user=1&x=2#frag");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.host, "shop.example");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.path, "/api/cart");
  EXPECT_EQ(url.query, "user=1&x=2");
  EXPECT_EQ(url.target(), "/api/cart?user=1&x=2");
  EXPECT_EQ(url.to_string(), "http://shop.example:8080/api/cart?user=1&x=2");
  EXPECT_FALSE(url.secure());
}

TEST(ParseUrl, DefaultsPortByScheme) {
  EXPECT_EQ(must_parse("http://a/").port, 80);
  Url https = must_parse("https://a/");
  EXPECT_EQ(https.port, 443);
  EXPECT_TRUE(https.secure());
  EXPECT_EQ(must_parse("http://a:/").port, 80);  // empty port means the default
}

TEST(ParseUrl, LowercasesSchemeAndHostButNotPath) {
  Url url = must_parse("HTTPS://Shop.Example.COM/Cart/Items?Q=A");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.host, "shop.example.com");
  EXPECT_EQ(url.path, "/Cart/Items");
  EXPECT_EQ(url.query, "Q=A");
}

TEST(ParseUrl, DefaultsPathToSlash) {
  EXPECT_EQ(must_parse("http://a").path, "/");
  Url url = must_parse("http://a?x=1");
  EXPECT_EQ(url.path, "/");
  EXPECT_EQ(url.query, "x=1");
  EXPECT_EQ(must_parse("http://a#top").target(), "/");
}

TEST(ParseUrl, AuthorityOmitsDefaultPort) {
  EXPECT_EQ(must_parse("http://a:80/x").to_string(), "http://a/x");
  EXPECT_EQ(must_parse("https://a:443/").authority(), "a");
  EXPECT_EQ(must_parse("https://a:80/").authority(), "a:80");
}

TEST(ParseUrl, Ipv6Literal) {
  Url url = must_parse("http://[::1]:9000/metrics");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 9000);
  EXPECT_TRUE(url.host_is_ip());
  EXPECT_EQ(url.authority(), "[::1]:9000");
  EXPECT_EQ(must_parse("http://[2001:DB8::1]").to_string(), "http://[2001:db8::1]/");
  EXPECT_EQ(parse_error("http://[::1/"), "invalid URL 'http://[::1/': unterminated IPv6 literal");
  EXPECT_NE(parse_error("http://[zz]/").find("invalid IPv6 literal"), std::string::npos);
  EXPECT_NE(parse_error("http://[::1]x/").find("after ']'"), std::string::npos);
}

TEST(ParseUrl, HostIsIp) {
  EXPECT_TRUE(must_parse("http://127.0.0.1/").host_is_ip());
  EXPECT_FALSE(must_parse("http://localhost/").host_is_ip());
  EXPECT_FALSE(must_parse("http://1.example/").host_is_ip());
}

TEST(ParseUrl, RemovesDotSegments) {
  EXPECT_EQ(must_parse("http://a/b/c/./../../g").path, "/g");
  EXPECT_EQ(must_parse("http://a/b/../../..").path, "/");
  EXPECT_EQ(must_parse("http://a/b/./c/").path, "/b/c/");
  EXPECT_EQ(must_parse("http://a/.hidden/x").path, "/.hidden/x");
}

TEST(ParseUrl, PercentEncodesBytesNotAllowedInTargets) {
  Url url = must_parse("http://a/search/red shoes?q=red shoes&j={\"k\":1}|x");
  EXPECT_EQ(url.path, "/search/red%20shoes");
  EXPECT_EQ(url.query, "q=red%20shoes&j=%7B%22k%22:1%7D%7Cx");
  EXPECT_EQ(must_parse("http://a/caf\xc3\xa9").path, "/caf%C3%A9");
  EXPECT_EQ(must_parse("http://a/x%2Fy").path, "/x%2Fy");  // existing escapes are kept
}

TEST(ParseUrl, Errors) {
  EXPECT_EQ(parse_error("shop.example/cart"), "invalid URL 'shop.example/cart': missing scheme");
  EXPECT_EQ(parse_error(""), "invalid URL '': missing scheme");
  EXPECT_EQ(parse_error("/relative"), "invalid URL '/relative': missing scheme");
  EXPECT_EQ(parse_error("ftp://a/"),
            "invalid URL 'ftp://a/': unsupported scheme 'ftp' (want http or https)");
  EXPECT_EQ(parse_error("http:a/b"), "invalid URL 'http:a/b': missing '//' after scheme");
  EXPECT_EQ(parse_error("http:///path"), "invalid URL 'http:///path': missing host");
  EXPECT_EQ(parse_error("http://:80/"), "invalid URL 'http://:80/': missing host");
  EXPECT_EQ(parse_error("http://a:0/"), "invalid URL 'http://a:0/': invalid port '0'");
  EXPECT_EQ(parse_error("http://a:65536/"), "invalid URL 'http://a:65536/': invalid port '65536'");
  EXPECT_EQ(parse_error("http://a:8x/"), "invalid URL 'http://a:8x/': invalid port '8x'");
  EXPECT_EQ(parse_error("http://a:-1/"), "invalid URL 'http://a:-1/': invalid port '-1'");
  EXPECT_EQ(parse_error("http://a b/"), "invalid URL 'http://a b/': invalid character in host");
  EXPECT_EQ(parse_error("http://a/x\r\nHost: evil"),
            "invalid URL 'http://a/x\\x0D\\x0AHost: evil': control character at byte 10");
}

TEST(ParseUrl, RejectsUserinfo) {
  EXPECT_EQ(parse_error("http://user:pw@a/"),
            "invalid URL 'http://user:pw@a/': userinfo is not supported (send credentials in an "
            "Authorization header)");
}

TEST(ParseUrl, TruncatesLongUrlsInErrors) {
  std::string long_url = "ftp://a/" + std::string(1000, 'x');
  std::string message = parse_error(long_url);
  EXPECT_LT(message.size(), 300u);
  EXPECT_NE(message.find("...': unsupported scheme"), std::string::npos);
}

TEST(RemoveDotSegments, Rfc3986Examples) {
  EXPECT_EQ(remove_dot_segments("/a/b/c/./../../g"), "/a/g");
  EXPECT_EQ(remove_dot_segments("mid/content=5/../6"), "mid/6");
  EXPECT_EQ(remove_dot_segments("/a/.."), "/");
  EXPECT_EQ(remove_dot_segments("/a/."), "/a/");
  EXPECT_EQ(remove_dot_segments("/./a"), "/a");
  EXPECT_EQ(remove_dot_segments("/a/b"), "/a/b");
}

// RFC 3986 section 5.4 normal and abnormal examples (those that apply to http URLs).
TEST(ResolveReference, Rfc3986Examples) {
  const char* base = "http://a/b/c/d;p?q";
  EXPECT_EQ(resolve(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(resolve(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(resolve(base, "g/"), "http://a/b/c/g/");
  EXPECT_EQ(resolve(base, "/g"), "http://a/g");
  EXPECT_EQ(resolve(base, "//g"), "http://g/");
  EXPECT_EQ(resolve(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(resolve(base, "g?y"), "http://a/b/c/g?y");
  EXPECT_EQ(resolve(base, "#s"), "http://a/b/c/d;p?q");
  EXPECT_EQ(resolve(base, "g#s"), "http://a/b/c/g");
  EXPECT_EQ(resolve(base, ";x"), "http://a/b/c/;x");
  EXPECT_EQ(resolve(base, ""), "http://a/b/c/d;p?q");
  EXPECT_EQ(resolve(base, "."), "http://a/b/c/");
  EXPECT_EQ(resolve(base, "./"), "http://a/b/c/");
  EXPECT_EQ(resolve(base, ".."), "http://a/b/");
  EXPECT_EQ(resolve(base, "../g"), "http://a/b/g");
  EXPECT_EQ(resolve(base, "../.."), "http://a/");
  EXPECT_EQ(resolve(base, "../../g"), "http://a/g");
  EXPECT_EQ(resolve(base, "../../../g"), "http://a/g");
  EXPECT_EQ(resolve(base, "/./g"), "http://a/g");
  EXPECT_EQ(resolve(base, "/../g"), "http://a/g");
  EXPECT_EQ(resolve(base, "g."), "http://a/b/c/g.");
  EXPECT_EQ(resolve(base, "..g"), "http://a/b/c/..g");
  EXPECT_EQ(resolve(base, "./g/."), "http://a/b/c/g/");
  EXPECT_EQ(resolve(base, "g/../h"), "http://a/b/c/h");
  EXPECT_EQ(resolve(base, "g;x=1/../y"), "http://a/b/c/y");
}

TEST(ResolveReference, AbsoluteAndSchemeRelative) {
  EXPECT_EQ(resolve("https://a:8443/x", "http://B/y"), "http://b/y");
  EXPECT_EQ(resolve("https://a:8443/x", "//cdn.example/img.png"), "https://cdn.example/img.png");
  EXPECT_EQ(resolve("https://a:8443/x/y", "/cart"), "https://a:8443/cart");
  EXPECT_EQ(resolve("https://a:8443/x/y", "z?k=v"), "https://a:8443/x/z?k=v");
  EXPECT_EQ(resolve("http://[::1]:8080/a/b", "../c"), "http://[::1]:8080/c");
}

TEST(ResolveReference, Errors) {
  EXPECT_EQ(resolve("http://a/", "ftp://b/"),
            "error: invalid URL 'ftp://b/': unsupported scheme 'ftp' (want http or https)");
  EXPECT_EQ(resolve("http://a/", "//user@b/"),
            "error: invalid URL 'http://user@b/': userinfo is not supported (send credentials in "
            "an Authorization header)");
}

TEST(UrlEncode, FormComponent) {
  EXPECT_EQ(url_encode("abcXYZ019*-._"), "abcXYZ019*-._");
  EXPECT_EQ(url_encode("a b&c=d/e?f~g"), "a+b%26c%3Dd%2Fe%3Ff%7Eg");
  EXPECT_EQ(url_encode("caf\xc3\xa9+%"), "caf%C3%A9%2B%25");
  EXPECT_EQ(url_encode(std::string_view("\0\n", 2)), "%00%0A");
  EXPECT_EQ(url_encode(""), "");
}

TEST(FormEncode, JoinsPairsInOrder) {
  EXPECT_EQ(form_encode({}), "");
  EXPECT_EQ(form_encode({{"product_id", "OLJCESPC7Z"}, {"quantity", "2"}}),
            "product_id=OLJCESPC7Z&quantity=2");
  EXPECT_EQ(form_encode({{"email", "a@b.c"}, {"street address", "1 Main St"}, {"e", ""}}),
            "email=a%40b.c&street+address=1+Main+St&e=");
}

}  // namespace
}  // namespace stampede
