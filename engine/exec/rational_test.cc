#include "engine/exec/rational.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace stampede {
namespace {

Rational r(int64_t n, int64_t d) {
  return Rational::make(n, d).value();
}

TEST(Rational, Normalises) {
  EXPECT_EQ(r(2, 4), r(1, 2));
  EXPECT_EQ(r(1, -2).num(), -1);
  EXPECT_EQ(r(1, -2).den(), 2);
  EXPECT_EQ(r(0, -7).den(), 1);
  EXPECT_EQ(r(6, 3).to_string(), "2");
  EXPECT_EQ(r(-3, 6).to_string(), "-1/2");
  EXPECT_FALSE(Rational::make(1, 0).ok());
  EXPECT_FALSE(Rational::make(std::numeric_limits<int64_t>::min(), -1).ok());
}

TEST(Rational, Arithmetic) {
  EXPECT_EQ(r(1, 3).add(r(1, 6)).value(), r(1, 2));
  EXPECT_EQ(r(2, 3).sub(r(1, 3)).value(), r(1, 3));
  EXPECT_EQ(r(2, 3).mul(r(3, 4)).value(), r(1, 2));
  EXPECT_EQ(r(1, 2).div(r(1, 4)).value(), Rational(2));
  EXPECT_FALSE(r(1, 2).div(Rational(0)).ok());
  EXPECT_LT(r(1, 3), r(1, 2));
  EXPECT_GT(r(2, 3), r(1, 2));
  EXPECT_EQ(r(1, 3).compare(r(2, 6)), 0);
}

TEST(Rational, OverflowIsAnError) {
  const int64_t big = std::numeric_limits<int64_t>::max();
  // Two coprime huge denominators: the sum's denominator does not fit.
  Result<Rational> sum = r(1, big).add(r(1, big - 1));
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.error().message().find("overflow"), std::string::npos);
  EXPECT_FALSE(Rational(big).mul(Rational(2)).ok());
  // Exact comparison even where products exceed 64 bits.
  EXPECT_GT(r(big - 1, big), r(big - 2, big - 1));
}

TEST(Rational, FloorTimes) {
  EXPECT_EQ(r(1, 3).floor_times(10).value(), 3);
  EXPECT_EQ(r(2, 3).floor_times(10).value(), 6);
  EXPECT_EQ(Rational(1).floor_times(std::numeric_limits<int64_t>::max()).value(),
            std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(Rational(2).floor_times(std::numeric_limits<int64_t>::max()).ok());
}

TEST(Rational, ParsesK6Forms) {
  struct Case {
    const char* text;
    int64_t num, den;
  };
  for (const Case& c :
       {Case{"0", 0, 1}, Case{"1", 1, 1}, Case{"+1", 1, 1}, Case{"1/3", 1, 3}, Case{"2/4", 1, 2},
        Case{"0.5", 1, 2}, Case{".5", 1, 2}, Case{"5.", 5, 1}, Case{"0.75", 3, 4},
        Case{"75%", 3, 4}, Case{"50%", 1, 2}, Case{"125%", 5, 4}, Case{"1e-1", 1, 10},
        Case{"2.5E-1", 1, 4}, Case{"-0.5", -1, 2}, Case{"7/20", 7, 20}, Case{"007", 7, 1}}) {
    Result<Rational> got = parse_rational(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.error().message();
    EXPECT_EQ(got.value(), r(c.num, c.den)) << c.text;
  }
}

TEST(Rational, RejectsGarbage) {
  for (const char* text : {"",       "abc",   "1a5",  "1a5%", "1/",
                           "/2",     "1/0",   "1/-2", "0.5%", "%",
                           "1//2",   "1/2/3", "1e",   "e1",   ".",
                           "1.2.3",  " 1",    "1 ",   "0x1",  "99999999999999999999",
                           "1/3:2/3"}) {
    Result<Rational> got = parse_rational(text);
    EXPECT_FALSE(got.ok()) << "'" << text << "' parsed as " << got.value().to_string();
  }
  EXPECT_EQ(parse_rational("1a5").error().message(),
            "'1a5' is not a valid percentage, decimal, fraction or interval value");
  EXPECT_EQ(parse_rational("1a5%").error().message(), "'1a5%' is not a valid percentage");
}

TEST(Rational, GcdLcm) {
  EXPECT_EQ(gcd_int64(12, 18), 6);
  EXPECT_EQ(lcm_int64(4, 6).value(), 12);
  EXPECT_EQ(lcm_int64(13, 1).value(), 13);
  EXPECT_FALSE(lcm_int64(std::numeric_limits<int64_t>::max(), 2).ok());
}

}  // namespace
}  // namespace stampede
