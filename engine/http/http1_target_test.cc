#include "engine/http/http1_target.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <string>

namespace stampede {
namespace {

std::string address_text(const Http1Target& t) {
  char text[INET6_ADDRSTRLEN] = {};
  uint16_t port = 0;
  if (t.address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&t.address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
    port = ntohs(v4->sin_port);
    EXPECT_EQ(t.address_len, sizeof(sockaddr_in));
    return std::string(text) + ":" + std::to_string(port);
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&t.address);
  inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
  port = ntohs(v6->sin6_port);
  EXPECT_EQ(t.address_len, sizeof(sockaddr_in6));
  return "[" + std::string(text) + "]:" + std::to_string(port);
}

TEST(Http1TargetTest, NormalizedUrlsAreSplitInPlace) {
  std::string url = "http://127.0.0.1:8080/api/cart?user=1&x=%20";
  std::string scratch;
  Http1Target t;
  ASSERT_TRUE(resolve_http1_target(url, &scratch, &t).ok());
  EXPECT_EQ(t.target, "/api/cart?user=1&x=%20");
  EXPECT_EQ(t.target.data(), url.data() + 21);  // no copy
  EXPECT_EQ(t.host(), "127.0.0.1:8080");
  EXPECT_EQ(address_text(t), "127.0.0.1:8080");
}

TEST(Http1TargetTest, HostsAndPorts) {
  struct Case {
    const char* url;
    const char* host;
    const char* address;
  } cases[] = {
      {"http://127.0.0.1/", "127.0.0.1", "127.0.0.1:80"},
      {"http://127.0.0.1:80/", "127.0.0.1", "127.0.0.1:80"},
      {"http://[::1]:9000/x", "[::1]:9000", "[::1]:9000"},
      {"http://[::FFFF:127.0.0.1]/", "[::ffff:127.0.0.1]", "[::ffff:127.0.0.1]:80"},
      {"http://localhost:9000/", "localhost:9000", "127.0.0.1:9000"},
      {"HTTP://LocalHost:9000", "localhost:9000", "127.0.0.1:9000"},
  };
  for (const Case& c : cases) {
    std::string scratch;
    Http1Target t;
    Status s = resolve_http1_target(c.url, &scratch, &t);
    ASSERT_TRUE(s.ok()) << c.url << ": " << s.error().message();
    EXPECT_EQ(t.host(), c.host) << c.url;
    EXPECT_EQ(address_text(t), c.address) << c.url;
  }
}

// The in-place scan and parse_url() must agree on every URL the transport accepts.
TEST(Http1TargetTest, AgreesWithParseUrl) {
  const char* urls[] = {
      "http://127.0.0.1:8080/a/b?c=d",
      "http://127.0.0.1:8080",
      "http://127.0.0.1:8080?x=1",
      "http://127.0.0.1:8080/a/../b/./c",
      "http://127.0.0.1:8080/a b?q=red shoes",
      "http://127.0.0.1:8080/%7Euser/caf\xc3\xa9",
      "http://127.0.0.1:8080/p#fragment",
      "http://127.0.0.1:8080/p?q={x}|y",
      "http://127.0.0.1:08080/",
      "http://[::1]/",
      "http://[::1]:1234/.hidden/..",
      "http://10.0.0.1:65535/x?",
      "http://localhost/",
  };
  for (const char* url : urls) {
    Result<Url> parsed = parse_url(url);
    ASSERT_TRUE(parsed.ok()) << url;
    ASSERT_TRUE(http1_supports(parsed.value())) << url;
    std::string scratch;
    Http1Target t;
    ASSERT_TRUE(resolve_http1_target(url, &scratch, &t).ok()) << url;
    EXPECT_EQ(t.target, parsed.value().target()) << url;
    EXPECT_EQ(t.host(), parsed.value().authority()) << url;
  }
}

TEST(Http1TargetTest, RejectsWhatItCannotSend) {
  const char* unsupported[] = {"https://127.0.0.1/", "http://example.com/", "http://1.2.3/",
                               "http://999.1.1.1/"};
  for (const char* url : unsupported) {
    Result<Url> parsed = parse_url(url);
    ASSERT_TRUE(parsed.ok()) << url;
    EXPECT_FALSE(http1_supports(parsed.value())) << url;
    std::string scratch;
    Http1Target t;
    Status s = resolve_http1_target(url, &scratch, &t);
    ASSERT_FALSE(s.ok()) << url;
    EXPECT_NE(s.error().message().find("not supported by the native"), std::string::npos);
  }
  std::string scratch;
  Http1Target t;
  Status s = resolve_http1_target("http://user@127.0.0.1/", &scratch, &t);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("userinfo"), std::string::npos);
  EXPECT_FALSE(resolve_http1_target("127.0.0.1/x", &scratch, &t).ok());
  EXPECT_FALSE(resolve_http1_target("http://127.0.0.1:0/", &scratch, &t).ok());
}

}  // namespace
}  // namespace stampede
