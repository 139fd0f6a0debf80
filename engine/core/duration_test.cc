#include "engine/core/duration.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace stampede {
namespace {

constexpr Nanos kMinute = 60 * kNanosPerSecond;
constexpr Nanos kHour = 60 * kMinute;

Nanos parse_ok(std::string_view text) {
  Result<Nanos> r = parse_duration(text);
  EXPECT_TRUE(r.ok()) << "'" << text << "': " << (r.ok() ? "" : r.error().message());
  return r.ok() ? r.value() : -1;
}

std::string parse_error(std::string_view text) {
  Result<Nanos> r = parse_duration(text);
  EXPECT_FALSE(r.ok()) << "'" << text << "' parsed as " << (r.ok() ? r.value() : 0);
  return r.ok() ? "" : r.error().message();
}

TEST(ParseDuration, SingleUnits) {
  EXPECT_EQ(parse_ok("30s"), 30 * kNanosPerSecond);
  EXPECT_EQ(parse_ok("2h"), 2 * kHour);
  EXPECT_EQ(parse_ok("5m"), 5 * kMinute);
  EXPECT_EQ(parse_ok("500ms"), 500 * kNanosPerMilli);
  EXPECT_EQ(parse_ok("100us"), 100 * kNanosPerMicro);
  EXPECT_EQ(parse_ok("100\xC2\xB5s"), 100 * kNanosPerMicro);  // µ micro sign
  EXPECT_EQ(parse_ok("100\xCE\xBCs"), 100 * kNanosPerMicro);  // μ Greek mu
  EXPECT_EQ(parse_ok("250ns"), 250);
  EXPECT_EQ(parse_ok("1d"), 24 * kHour);
}

TEST(ParseDuration, Compound) {
  EXPECT_EQ(parse_ok("1m30s"), 90 * kNanosPerSecond);
  EXPECT_EQ(parse_ok("1h2m3.5s"), kHour + 2 * kMinute + 3500 * kNanosPerMilli);
  EXPECT_EQ(parse_ok("1d2h"), 26 * kHour);
  EXPECT_EQ(parse_ok("1s500ms"), 1500 * kNanosPerMilli);
  // Go allows any order and repeats; the parts simply add up.
  EXPECT_EQ(parse_ok("30s1m"), 90 * kNanosPerSecond);
  EXPECT_EQ(parse_ok("1s1s"), 2 * kNanosPerSecond);
}

TEST(ParseDuration, Fractions) {
  EXPECT_EQ(parse_ok("1.5s"), 1500 * kNanosPerMilli);
  EXPECT_EQ(parse_ok(".5s"), 500 * kNanosPerMilli);
  EXPECT_EQ(parse_ok("5.s"), 5 * kNanosPerSecond);
  EXPECT_EQ(parse_ok("0.1s"), 100 * kNanosPerMilli);
  EXPECT_EQ(parse_ok("1.5h"), 90 * kMinute);
  EXPECT_EQ(parse_ok("0.000000001s"), 1);
  EXPECT_EQ(parse_ok("1.9ns"), 1);  // below a nanosecond truncates
  // Digits past 18 fraction places are ignored instead of overflowing.
  EXPECT_EQ(parse_ok("0.1234567891234567891234s"), 123456789);
  EXPECT_EQ(parse_ok("2.000000000000000000000000001h"), 2 * kHour);
}

TEST(ParseDuration, BareNumberIsSeconds) {
  EXPECT_EQ(kBareNumberUnit, kNanosPerSecond);
  EXPECT_EQ(parse_ok("10"), 10 * kNanosPerSecond);
  EXPECT_EQ(parse_ok("0.5"), 500 * kNanosPerMilli);
  EXPECT_EQ(parse_ok(".25"), 250 * kNanosPerMilli);
  EXPECT_EQ(parse_ok("0"), 0);
  EXPECT_EQ(parse_ok("007"), 7 * kNanosPerSecond);
}

TEST(ParseDuration, Signs) {
  EXPECT_EQ(parse_ok("+5s"), 5 * kNanosPerSecond);
  EXPECT_EQ(parse_ok("-0s"), 0);
  EXPECT_EQ(parse_ok("-0"), 0);
}

TEST(ParseDuration, Zero) {
  EXPECT_EQ(parse_ok("0s"), 0);
  EXPECT_EQ(parse_ok("0h0m0s"), 0);
  EXPECT_EQ(parse_ok("0.0ms"), 0);
}

TEST(ParseDuration, Limits) {
  const Nanos max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(parse_ok("9223372036854775807ns"), max);
  EXPECT_EQ(parse_ok("2562047h47m16.854775807s"), max);
  EXPECT_EQ(parse_ok("9223372036.854775807s"), max);
}

TEST(ParseDuration, ErrorMessageFormat) {
  EXPECT_EQ(parse_error("3x"), "malformed duration '3x' (expected e.g. 30s, 1m30s, 500ms)");
  EXPECT_EQ(parse_error(""), "empty duration (expected e.g. 30s, 1m30s, 500ms)");
  EXPECT_EQ(parse_error("-5s"), "negative duration '-5s' (must be 0 or more)");
  EXPECT_EQ(parse_error("9223372036854775808ns"),
            "duration '9223372036854775808ns' is too large (max 2562047h47m16.854775807s)");
}

TEST(ParseDuration, MalformedInputs) {
  for (const char* text : {
           "3x",      // unknown unit
           "s",       // unit without number
           "ms",      //
           ".s",      // '.' is not a number
           ".",       //
           "+",       // sign alone
           "-",       //
           "--5s",    // double sign
           "++5s",    //
           "1m30",    // trailing number without unit
           "5s ",     // trailing garbage
           " 5s",     // leading whitespace
           "5 s",     // inner whitespace
           "5sec",    // not a Go unit
           "5S",      // units are case-sensitive
           "5H",      //
           "1.2.3s",  // two decimal points
           "10.5.3",  //
           "1e3s",    // no exponents
           "1e3",     //
           "0x10s",   // no hex
           "5s,",     //
           "abc",     //
           "1w",      // weeks are not supported
           "5,5s",    //
           "\xC2\xB5s",
       }) {
    const std::string message = parse_error(text);
    EXPECT_EQ(message,
              "malformed duration '" + std::string(text) + "' (expected e.g. 30s, 1m30s, 500ms)")
        << text;
  }
}

TEST(ParseDuration, NegativeInputs) {
  for (const char* text : {"-5s", "-1", "-1m30s", "-0.5s", "-1ns"}) {
    EXPECT_EQ(parse_error(text),
              "negative duration '" + std::string(text) + "' (must be 0 or more)");
  }
  // A malformed negative is reported as malformed, not negative.
  EXPECT_EQ(parse_error("-3x"), "malformed duration '-3x' (expected e.g. 30s, 1m30s, 500ms)");
}

TEST(ParseDuration, Overflow) {
  for (const char* text : {
           "9223372036854775808ns", "2562048h", "2562047h47m16.854775808s", "106752d",
           "99999999999999999999999s",  // integer part alone overflows uint64
           "9223372036854775807ns1ns",  // sum overflows
           "300000000000",              // bare seconds
       }) {
    const std::string message = parse_error(text);
    EXPECT_NE(message.find("is too large"), std::string::npos) << text << ": " << message;
    EXPECT_NE(message.find(text), std::string::npos) << message;
  }
}

TEST(FormatDuration, GoStyle) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(1), "1ns");
  EXPECT_EQ(format_duration(250), "250ns");
  EXPECT_EQ(format_duration(999), "999ns");
  EXPECT_EQ(format_duration(1000), "1\xC2\xB5s");
  EXPECT_EQ(format_duration(1500), "1.5\xC2\xB5s");
  EXPECT_EQ(format_duration(100 * kNanosPerMicro), "100\xC2\xB5s");
  EXPECT_EQ(format_duration(kNanosPerMilli), "1ms");
  EXPECT_EQ(format_duration(250 * kNanosPerMilli), "250ms");
  EXPECT_EQ(format_duration(1500 * kNanosPerMicro), "1.5ms");
  EXPECT_EQ(format_duration(999999999), "999.999999ms");
  EXPECT_EQ(format_duration(kNanosPerSecond), "1s");
  EXPECT_EQ(format_duration(1500 * kNanosPerMilli), "1.5s");
  EXPECT_EQ(format_duration(kNanosPerSecond + 1), "1.000000001s");
  EXPECT_EQ(format_duration(30 * kNanosPerSecond), "30s");
  EXPECT_EQ(format_duration(60 * kNanosPerSecond), "1m0s");
  EXPECT_EQ(format_duration(90 * kNanosPerSecond), "1m30s");
  EXPECT_EQ(format_duration(2 * kHour), "2h0m0s");
  EXPECT_EQ(format_duration(kHour + 2 * kMinute + 3500 * kNanosPerMilli), "1h2m3.5s");
  EXPECT_EQ(format_duration(kHour + 5 * kNanosPerSecond), "1h0m5s");
  EXPECT_EQ(format_duration(48 * kHour), "48h0m0s");
}

TEST(FormatDuration, NegativeAndExtremes) {
  EXPECT_EQ(format_duration(-1500 * kNanosPerMilli), "-1.5s");
  EXPECT_EQ(format_duration(-1), "-1ns");
  EXPECT_EQ(format_duration(std::numeric_limits<int64_t>::max()), "2562047h47m16.854775807s");
  EXPECT_EQ(format_duration(std::numeric_limits<int64_t>::min()), "-2562047h47m16.854775808s");
}

TEST(DurationRoundTrip, FixedValues) {
  for (Nanos d :
       {Nanos{0}, Nanos{1}, Nanos{999}, Nanos{1000}, Nanos{1001}, kNanosPerMilli,
        kNanosPerSecond - 1, kNanosPerSecond, 90 * kNanosPerSecond, 2 * kHour,
        kHour + 2 * kMinute + 3500 * kNanosPerMilli, std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(parse_ok(format_duration(d)), d) << format_duration(d);
  }
  for (const char* text :
       {"30s", "1m30s", "2h0m0s", "250ms", "1.5s", "100\xC2\xB5s", "250ns", "1h2m3.5s"}) {
    EXPECT_EQ(format_duration(parse_ok(text)), text);
  }
}

TEST(DurationRoundTrip, RandomValues) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    // Spread over every magnitude: pick a bit width, then a value below it.
    const int bits = static_cast<int>(rng() % 63) + 1;
    const Nanos d = static_cast<Nanos>(rng() >> (64 - bits));
    const std::string text = format_duration(d);
    Result<Nanos> parsed = parse_duration(text);
    ASSERT_TRUE(parsed.ok()) << text;
    ASSERT_EQ(parsed.value(), d) << text;
  }
}

}  // namespace
}  // namespace stampede
