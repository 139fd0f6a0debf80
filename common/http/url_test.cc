#include "common/http/url.h"

#include <gtest/gtest.h>

namespace stampede::http {
namespace {

TEST(SplitTarget, SplitsPathAndQueryAndDropsTheFragment) {
  Target t = split_target("/product/X?currency=EUR&x=1#top");
  EXPECT_EQ(t.path, "/product/X");
  EXPECT_EQ(t.query, "currency=EUR&x=1");
  t = split_target("/cart");
  EXPECT_EQ(t.path, "/cart");
  EXPECT_EQ(t.query, "");
  t = split_target("/a?b?c");
  EXPECT_EQ(t.path, "/a");
  EXPECT_EQ(t.query, "b?c");
  t = split_target("/?");
  EXPECT_EQ(t.path, "/");
  EXPECT_EQ(t.query, "");
  t = split_target("");
  EXPECT_EQ(t.path, "");
  EXPECT_EQ(t.query, "");
}

TEST(PercentDecode, DecodesEscapesAndPlus) {
  EXPECT_EQ(percent_decode("a%20b+c%2B%2fd%C3%A9").value(), "a b c+/d\xC3\xA9");
  EXPECT_EQ(percent_decode("a+b", /*plus_as_space=*/false).value(), "a+b");
  EXPECT_EQ(percent_decode("").value(), "");
  EXPECT_EQ(percent_decode("%00").value(), std::string(1, '\0'));
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  for (const char* bad : {"%", "%4", "abc%", "%zz", "%4g", "a%%41"}) {
    auto decoded = percent_decode(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_NE(decoded.error().message().find("malformed percent escape"), std::string::npos);
  }
  EXPECT_EQ(percent_decode("x%zz").error().message(), "malformed percent escape '%zz' at offset 1");
}

TEST(ParseQuery, ParsesPairsInOrderWithRepeats) {
  auto params = parse_query("product_id=OLJCESPC7Z&quantity=2&tag=a&tag=b+c&empty=&flag");
  ASSERT_TRUE(params.ok()) << params.error().message();
  const Params& p = params.value();
  EXPECT_EQ(p.size(), 6u);
  EXPECT_EQ(p.get("product_id"), "OLJCESPC7Z");
  EXPECT_EQ(p.get("quantity"), "2");
  EXPECT_EQ(p.get("tag"), "a");
  EXPECT_EQ(p.get_all("tag"), (std::vector<std::string>{"a", "b c"}));
  EXPECT_EQ(p.get("empty"), "");
  EXPECT_EQ(p.get("flag"), "");
  EXPECT_TRUE(p.contains("flag"));
  EXPECT_FALSE(p.contains("missing"));
  EXPECT_EQ(p.get("missing"), std::nullopt);
  EXPECT_EQ(p.entries().front().first, "product_id");
}

TEST(ParseQuery, SkipsEmptyPairsAndDecodesNames) {
  auto params = parse_query("&&a%5B%5D=1&&=v&b=x%3Dy&");
  ASSERT_TRUE(params.ok());
  const Params& p = params.value();
  EXPECT_EQ(p.get("a[]"), "1");
  EXPECT_EQ(p.get(""), "v");  // an empty name is kept as given
  EXPECT_EQ(p.get("b"), "x=y");
  EXPECT_EQ(p.size(), 3u);
  EXPECT_TRUE(parse_query("").value().empty());
}

TEST(ParseForm, DecodesACheckoutBody) {
  auto form = parse_form(
      "email=someone%40example.com&street_address=1600+Amphitheatre+Parkway&zip_code=94043");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form.value().get("email"), "someone@example.com");
  EXPECT_EQ(form.value().get("street_address"), "1600 Amphitheatre Parkway");
  EXPECT_EQ(form.value().get("zip_code"), "94043");
}

TEST(ParseForm, ErrorsNameTheBadPair) {
  auto form = parse_form("a=1&b=%G0&c=3");
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().message(),
            "form field 'b=%G0': malformed percent escape '%G0' at offset 0");
  auto query = parse_query("x%2=1");
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.error().message().rfind("query parameter 'x%2=1': ", 0), 0u);
}

}  // namespace
}  // namespace stampede::http
