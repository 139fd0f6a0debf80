#include "tests/server/query.h"

#include <gtest/gtest.h>

namespace stampede::testserver {
namespace {

TEST(TestserverQuery, SplitsTargetAtFirstQuestionMark) {
  const SplitTarget plain = split_target("/echo");
  EXPECT_EQ(plain.path, "/echo");
  EXPECT_EQ(plain.query, "");
  const SplitTarget with_query = split_target("/a?b=1?c");
  EXPECT_EQ(with_query.path, "/a");
  EXPECT_EQ(with_query.query, "b=1?c");
}

TEST(TestserverQuery, ParsesPairsInOrderAndDecodes) {
  const QueryParams params = parse_query("a=1&&b=x%20y+z&flag&a=2&%41=%zz");
  ASSERT_EQ(params.size(), 5u);
  EXPECT_EQ(params[0].name, "a");
  EXPECT_EQ(params[0].value, "1");
  EXPECT_EQ(params[1].value, "x y z");
  EXPECT_EQ(params[2].name, "flag");
  EXPECT_EQ(params[2].value, "");
  EXPECT_EQ(params[4].name, "A");
  EXPECT_EQ(params[4].value, "%zz");  // malformed escapes stay as they are
  ASSERT_NE(find_param(params, "a"), nullptr);
  EXPECT_EQ(*find_param(params, "a"), "2");  // the last one wins
  EXPECT_EQ(find_param(params, "missing"), nullptr);
}

TEST(TestserverQuery, PercentEncodingRoundTrips) {
  EXPECT_EQ(percent_encode("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
  EXPECT_EQ(percent_decode(percent_encode("/x?y=1&z=é"), false), "/x?y=1&z=é");
  EXPECT_EQ(percent_decode("a+b%2", true), "a b%2");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
}

}  // namespace
}  // namespace stampede::testserver
