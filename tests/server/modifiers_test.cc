#include "tests/server/modifiers.h"

#include <gtest/gtest.h>

namespace stampede::testserver {
namespace {

ModifiersResult parse(std::string_view query) {
  return parse_modifiers(parse_query(query));
}

TEST(TestserverModifiers, ParsesAllFour) {
  const ModifiersResult result = parse("stall=400:200&delay_ms=15&status=503&bytes=10&other=1");
  ASSERT_TRUE(result.ok()) << result.error;
  const Modifiers& m = result.modifiers;
  ASSERT_TRUE(m.stall.has_value());
  EXPECT_EQ(m.stall->every, std::chrono::milliseconds(400));
  EXPECT_EQ(m.stall->length, std::chrono::milliseconds(200));
  EXPECT_EQ(m.delay, std::chrono::milliseconds(15));
  EXPECT_EQ(m.status, 503u);
  EXPECT_EQ(m.bytes, 10u);
}

TEST(TestserverModifiers, DefaultsWhenAbsent) {
  const ModifiersResult result = parse("");
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.modifiers.stall.has_value());
  EXPECT_EQ(result.modifiers.delay.count(), 0);
  EXPECT_FALSE(result.modifiers.status.has_value());
  EXPECT_FALSE(result.modifiers.bytes.has_value());
}

TEST(TestserverModifiers, RejectsMalformedAndOutOfRange) {
  for (const char* query :
       {"status=abc", "status=99", "status=1000", "status=-1", "bytes=67108865", "bytes=1k",
        "delay_ms=", "delay_ms=3600001", "stall=400", "stall=0:0", "stall=100:200", "stall=a:b"}) {
    EXPECT_FALSE(parse(query).ok()) << query;
  }
  EXPECT_TRUE(parse("bytes=67108864").ok());
  EXPECT_TRUE(parse("stall=100:100").ok());
  EXPECT_TRUE(parse("stall=100:0").ok());
}

TEST(TestserverModifiers, KnowsItsNames) {
  EXPECT_TRUE(is_modifier_name("stall"));
  EXPECT_TRUE(is_modifier_name("bytes"));
  EXPECT_FALSE(is_modifier_name("session"));
}

}  // namespace
}  // namespace stampede::testserver
