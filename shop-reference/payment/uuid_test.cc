#include "shop-reference/payment/uuid.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace shop {
namespace {

TEST(UuidTest, Version4FormatAndUnique) {
  const std::regex kForm("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = new_uuid4();
    ASSERT_TRUE(std::regex_match(id, kForm)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace shop
