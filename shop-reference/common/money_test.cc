#include "shop-reference/common/money.h"

#include <gtest/gtest.h>

#include <limits>

namespace shop {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

void expect_money(const stampede::Result<hipstershop::Money>& r, const std::string& code,
                  int64_t units, int32_t nanos) {
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value().currency_code(), code);
  EXPECT_EQ(r.value().units(), units);
  EXPECT_EQ(r.value().nanos(), nanos);
}

TEST(MoneyTest, MakeMoneySetsFields) {
  auto m = make_money("USD", 19, 990'000'000);
  EXPECT_EQ(m.currency_code(), "USD");
  EXPECT_EQ(m.units(), 19);
  EXPECT_EQ(m.nanos(), 990'000'000);
}

TEST(MoneyTest, ValidityRules) {
  EXPECT_TRUE(is_valid(make_money("USD", 0, 0)));
  EXPECT_TRUE(is_valid(make_money("USD", 5, 999'999'999)));
  EXPECT_TRUE(is_valid(make_money("USD", -5, -999'999'999)));
  EXPECT_TRUE(is_valid(make_money("USD", 0, -5)));
  EXPECT_TRUE(is_valid(make_money("USD", -5, 0)));
  EXPECT_FALSE(is_valid(make_money("USD", 0, 1'000'000'000)));
  EXPECT_FALSE(is_valid(make_money("USD", 0, -1'000'000'000)));
  EXPECT_FALSE(is_valid(make_money("USD", 1, -1)));
  EXPECT_FALSE(is_valid(make_money("USD", -1, 1)));
  EXPECT_FALSE(is_valid(make_money("usd", 1, 0)));
  EXPECT_FALSE(is_valid(make_money("US", 1, 0)));
  EXPECT_FALSE(is_valid(make_money("USDX", 1, 0)));
  EXPECT_FALSE(is_valid(make_money("", 1, 0)));
}

TEST(MoneyTest, ValidateNamesTheProblem) {
  EXPECT_NE(validate(make_money("usd", 1, 0)).error().message().find("'usd'"), std::string::npos);
  EXPECT_NE(validate(make_money("USD", 0, 1'000'000'000)).error().message().find("nanos"),
            std::string::npos);
  EXPECT_NE(validate(make_money("USD", 1, -1)).error().message().find("signs"), std::string::npos);
}

TEST(MoneyTest, SumCarriesNanos) {
  expect_money(sum(make_money("USD", 1, 600'000'000), make_money("USD", 2, 500'000'000)), "USD", 4,
               100'000'000);
  expect_money(sum(make_money("USD", 19, 990'000'000), make_money("USD", 0, 10'000'000)), "USD", 20,
               0);
}

TEST(MoneyTest, SumAcrossSignsNormalizes) {
  expect_money(sum(make_money("EUR", 5, 0), make_money("EUR", -2, -500'000'000)), "EUR", 2,
               500'000'000);
  expect_money(sum(make_money("EUR", 1, 0), make_money("EUR", -3, -250'000'000)), "EUR", -2,
               -250'000'000);
  expect_money(sum(make_money("EUR", 0, 100), make_money("EUR", 0, -300)), "EUR", 0, -200);
  expect_money(sum(make_money("EUR", 2, 0), make_money("EUR", -2, 0)), "EUR", 0, 0);
}

TEST(MoneyTest, SumRejectsMismatchAndInvalid) {
  auto r = sum(make_money("USD", 1, 0), make_money("EUR", 1, 0));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("USD and EUR"), std::string::npos);
  EXPECT_FALSE(sum(make_money("USD", 1, -1), make_money("USD", 1, 0)).ok());
  EXPECT_FALSE(sum(make_money("USD", 1, 0), make_money("USD", 0, 1'000'000'000)).ok());
}

TEST(MoneyTest, SumDetectsOverflow) {
  EXPECT_FALSE(sum(make_money("USD", kMax, 0), make_money("USD", 1, 0)).ok());
  EXPECT_FALSE(sum(make_money("USD", kMax, 999'999'999), make_money("USD", 0, 1)).ok());
  EXPECT_FALSE(sum(make_money("USD", kMin, 0), make_money("USD", -1, 0)).ok());
  expect_money(sum(make_money("USD", kMax, 0), make_money("USD", 0, 999'999'999)), "USD", kMax,
               999'999'999);
  expect_money(sum(make_money("USD", kMax, 0), make_money("USD", kMin, 0)), "USD", -1, 0);
}

TEST(MoneyTest, MultiplyCarries) {
  expect_money(multiply(make_money("USD", 19, 990'000'000), 3), "USD", 59, 970'000'000);
  expect_money(multiply(make_money("USD", 0, 500'000'000), 5), "USD", 2, 500'000'000);
  expect_money(multiply(make_money("USD", 8, 990'000'000), 0), "USD", 0, 0);
  expect_money(multiply(make_money("USD", 1, 250'000'000), -2), "USD", -2, -500'000'000);
  expect_money(multiply(make_money("USD", -1, -250'000'000), -2), "USD", 2, 500'000'000);
}

TEST(MoneyTest, MultiplyDetectsOverflow) {
  EXPECT_FALSE(multiply(make_money("USD", kMax / 2 + 1, 0), 2).ok());
  EXPECT_FALSE(multiply(make_money("USD", kMax, 999'999'999), kMax).ok());
  EXPECT_FALSE(multiply(make_money("USD", kMin, 0), kMin).ok());
  EXPECT_FALSE(multiply(make_money("USD", -1, 0), kMin).ok());
  expect_money(multiply(make_money("USD", 1, 0), kMin), "USD", kMin, 0);
  EXPECT_FALSE(multiply(make_money("USD", 1, -5), 2).ok());
  expect_money(multiply(make_money("USD", 1, 0), kMax), "USD", kMax, 0);
  expect_money(multiply(make_money("USD", -1, 0), kMax), "USD", -kMax, 0);
}

TEST(MoneyTest, ZeroAndEqual) {
  EXPECT_TRUE(is_zero(make_money("USD", 0, 0)));
  EXPECT_FALSE(is_zero(make_money("USD", 0, 1)));
  EXPECT_FALSE(is_zero(make_money("USD", -1, 0)));
  EXPECT_TRUE(equal(make_money("USD", 1, 2), make_money("USD", 1, 2)));
  EXPECT_FALSE(equal(make_money("USD", 1, 2), make_money("EUR", 1, 2)));
  EXPECT_FALSE(equal(make_money("USD", 1, 2), make_money("USD", 1, 3)));
  EXPECT_FALSE(equal(make_money("USD", 1, 2), make_money("USD", 2, 2)));
}

TEST(MoneyTest, ToStringTruncatesToCents) {
  EXPECT_EQ(to_string(make_money("USD", 19, 990'000'000)), "USD 19.99");
  EXPECT_EQ(to_string(make_money("USD", 19, 999'999'999)), "USD 19.99");
  EXPECT_EQ(to_string(make_money("USD", 8, 990'000'000)), "USD 8.99");
  EXPECT_EQ(to_string(make_money("JPY", 2526, 0)), "JPY 2526.00");
  EXPECT_EQ(to_string(make_money("USD", 0, 5)), "USD 0.00");
  EXPECT_EQ(to_string(make_money("USD", 0, 50'000'000)), "USD 0.05");
  EXPECT_EQ(to_string(make_money("USD", -1, -500'000'000)), "USD -1.50");
  EXPECT_EQ(to_string(make_money("USD", 0, -500'000'000)), "USD -0.50");
  EXPECT_EQ(to_string(make_money("USD", kMin, 0)), "USD -9223372036854775808.00");
  EXPECT_EQ(to_string(make_money("USD", kMax, 999'999'999)), "USD 9223372036854775807.99");
}

TEST(MoneyTest, CentsAndDouble) {
  EXPECT_EQ(to_cents(make_money("USD", 19, 990'000'000)), 1999);
  EXPECT_EQ(to_cents(make_money("USD", 19, 999'999'999)), 1999);
  EXPECT_EQ(to_cents(make_money("USD", -1, -500'000'000)), -150);
  EXPECT_EQ(to_cents(make_money("USD", kMax, 0)), kMax);
  EXPECT_EQ(to_cents(make_money("USD", kMin, 0)), kMin);
  EXPECT_DOUBLE_EQ(to_double(make_money("USD", 19, 990'000'000)), 19.99);
  EXPECT_DOUBLE_EQ(to_double(make_money("USD", -1, -500'000'000)), -1.5);
}

}  // namespace
}  // namespace shop
