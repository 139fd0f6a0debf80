// parse_endpoint: the forms the stampede-proxy flags accept, and errors that quote the text.
#include "targets/local/proxy/endpoint_text.h"

#include <gtest/gtest.h>

namespace stampede::local {
namespace {

TEST(ProxyEndpointText, ParsesHostPortAndNamedForms) {
  auto plain = parse_endpoint("127.0.0.1:8080");
  ASSERT_TRUE(plain.ok()) << plain.error().message();
  EXPECT_EQ(plain.value().host, "127.0.0.1");
  EXPECT_EQ(plain.value().port, 8080);
  EXPECT_EQ(plain.value().pod, "127.0.0.1:8080");

  auto named = parse_endpoint("cart-7f9c-1=[::1]:7070");
  ASSERT_TRUE(named.ok()) << named.error().message();
  EXPECT_EQ(named.value().pod, "cart-7f9c-1");
  EXPECT_EQ(named.value().host, "::1");
  EXPECT_EQ(named.value().port, 7070);
}

TEST(ProxyEndpointText, ErrorsQuoteTheTextAndSayWhatIsWrong) {
  EXPECT_EQ(parse_endpoint("127.0.0.1").error().message(), "'127.0.0.1': expected HOST:PORT");
  EXPECT_EQ(parse_endpoint("localhost:80").error().message(),
            "'localhost:80': host 'localhost' is not an IP address literal");
  EXPECT_EQ(parse_endpoint("127.0.0.1:0").error().message(),
            "'127.0.0.1:0': port '0' is not a number from 1 to 65535");
  EXPECT_EQ(parse_endpoint("127.0.0.1:99999").error().message(),
            "'127.0.0.1:99999': port '99999' is not a number from 1 to 65535");
  EXPECT_EQ(parse_endpoint("127.0.0.1:8x").error().message(),
            "'127.0.0.1:8x': port '8x' is not a number from 1 to 65535");
  EXPECT_EQ(parse_endpoint("=127.0.0.1:80").error().message(),
            "'=127.0.0.1:80': empty pod name before '='");
}

}  // namespace
}  // namespace stampede::local
