#include "shop-reference/currency/currency_table.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <set>

#include "shop-reference/common/money.h"

namespace shop {
namespace {

struct Case {
  const char* from;
  int64_t units;
  int32_t nanos;
  const char* to;
  int64_t want_units;
  int32_t want_nanos;
};

// Expected values were computed by running Online Boutique's convert() (its server.js, with
// the same rates) under Node; they pin the algorithm, flooring and rounding included.
constexpr Case kCases[] = {
    {"USD", 19, 990'000'000, "EUR", 17, 682'441'398},
    {"USD", 19, 990'000'000, "JPY", 2235, 60'592'707},
    {"USD", 19, 990'000'000, "USD", 19, 990'000'000},
    {"USD", 8, 990'000'000, "GBP", 6, 836'535'161},
    {"EUR", 100, 0, "USD", 113, 50'000'000},
    {"JPY", 2235, 60'592'707, "USD", 19, 990'000'000},
    {"USD", 0, 1, "EUR", 0, 1},
    {"IDR", 123456789, 123'456'789, "KRW", 9838717, 637'653'319},
    {"CHF", 5, 500'000'000, "IDR", 77461, 883'806'422},
    {"USD", 1'000'000'000'000, 999'999'999, "JPY", 111808934100067, 585'887'107},
};

TEST(CurrencyTableTest, MatchesOnlineBoutiqueAlgorithm) {
  for (const Case& c : kCases) {
    auto r = convert(make_money(c.from, c.units, c.nanos), c.to);
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_EQ(r.value().currency_code(), c.to);
    EXPECT_EQ(r.value().units(), c.want_units) << c.from << " " << c.units << " -> " << c.to;
    EXPECT_EQ(r.value().nanos(), c.want_nanos) << c.from << " " << c.units << " -> " << c.to;
  }
}

TEST(CurrencyTableTest, SupportedCodes) {
  const auto& codes = supported_codes();
  ASSERT_EQ(codes.size(), 33u);
  EXPECT_EQ(codes[0], "EUR");
  EXPECT_EQ(codes[1], "USD");
  EXPECT_EQ(codes[2], "JPY");
  EXPECT_EQ(codes.back(), "ZAR");
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), codes.size());
  for (const auto& code : codes) {
    EXPECT_TRUE(eur_rate(code).has_value()) << code;
    EXPECT_TRUE(is_valid(make_money(code, 1, 0))) << code;
  }
  EXPECT_DOUBLE_EQ(*eur_rate("EUR"), 1.0);
  EXPECT_DOUBLE_EQ(*eur_rate("USD"), 1.1305);
  EXPECT_DOUBLE_EQ(*eur_rate("IDR"), 15999.40);
  EXPECT_FALSE(eur_rate("XXX").has_value());
  EXPECT_FALSE(eur_rate("usd").has_value());
}

TEST(CurrencyTableTest, UnknownCodesAreErrors) {
  auto to = convert(make_money("USD", 1, 0), "XYZ");
  ASSERT_FALSE(to.ok());
  EXPECT_NE(to.error().message().find("'XYZ'"), std::string::npos) << to.error().message();
  auto from = convert(make_money("ABC", 1, 0), "USD");
  ASSERT_FALSE(from.ok());
  EXPECT_NE(from.error().message().find("'ABC'"), std::string::npos) << from.error().message();
  EXPECT_FALSE(convert(make_money("USD", 1, 0), "").ok());
}

TEST(CurrencyTableTest, InvalidMoneyIsAnError) {
  EXPECT_FALSE(convert(make_money("USD", 1, -1), "EUR").ok());
  EXPECT_FALSE(convert(make_money("USD", 0, 1'000'000'000), "EUR").ok());
  EXPECT_FALSE(convert(make_money("us", 1, 0), "EUR").ok());
}

TEST(CurrencyTableTest, NegativeAmountsMirrorPositive) {
  auto neg = convert(make_money("USD", -19, -990'000'000), "EUR");
  ASSERT_TRUE(neg.ok()) << neg.error().message();
  EXPECT_EQ(neg.value().units(), -17);
  EXPECT_EQ(neg.value().nanos(), -682'441'398);
  EXPECT_TRUE(is_valid(neg.value()));
  auto min = convert(make_money("EUR", std::numeric_limits<int64_t>::min(), 0), "GBP");
  ASSERT_TRUE(min.ok()) << min.error().message();
  EXPECT_LT(min.value().units(), 0);
}

TEST(CurrencyTableTest, OverflowIsAnError) {
  auto r = convert(make_money("EUR", std::numeric_limits<int64_t>::max(), 0), "IDR");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("overflows"), std::string::npos) << r.error().message();
  EXPECT_FALSE(convert(make_money("EUR", std::numeric_limits<int64_t>::min(), 0), "IDR").ok());
}

TEST(CurrencyTableTest, RoundTripsWithinACent) {
  const hipstershop::Money amounts[] = {
      make_money("USD", 0, 10'000'000), make_money("USD", 19, 990'000'000),
      make_money("USD", 1234, 560'000'000), make_money("USD", 99'999, 990'000'000)};
  for (const auto& amount : amounts) {
    for (const auto& code : supported_codes()) {
      auto there = convert(amount, code);
      ASSERT_TRUE(there.ok()) << there.error().message();
      EXPECT_TRUE(is_valid(there.value())) << code;
      auto back = convert(there.value(), "USD");
      ASSERT_TRUE(back.ok()) << back.error().message();
      EXPECT_LE(std::llabs(to_cents(back.value()) - to_cents(amount)), 1)
          << to_string(amount) << " via " << code << " came back as " << to_string(back.value());
    }
  }
}

}  // namespace
}  // namespace shop
