#include "common/prometheus/text_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace stampede::prometheus {
namespace {

TEST(FormatValue, IntegersHaveNoExponentOrFraction) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(-0.0), "0");
  EXPECT_EQ(format_value(1), "1");
  EXPECT_EQ(format_value(-3), "-3");
  EXPECT_EQ(format_value(1234567890123.0), "1234567890123");
  EXPECT_EQ(format_value(999999999999999.0), "999999999999999");
}

TEST(FormatValue, FractionsAndHugeValuesUseTheShortestExactForm) {
  EXPECT_EQ(format_value(0.005), "0.005");
  EXPECT_EQ(format_value(2.5), "2.5");
  EXPECT_EQ(format_value(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_value(1e-7), "1e-07");
  EXPECT_EQ(format_value(1e21), "1e+21");
}

TEST(FormatValue, SpecialValues) {
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
}

TEST(Escape, LabelValuesEscapeBackslashQuoteAndNewline) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escape_label_value("caf\xC3\xA9 \xE2\x82\xAC"), "caf\xC3\xA9 \xE2\x82\xAC");
}

TEST(Escape, HelpEscapesBackslashAndNewlineButNotQuotes) {
  EXPECT_EQ(escape_help("say \"hi\"\\\nbye"), "say \"hi\"\\\\\\nbye");
}

TEST(Escape, InvalidUtf8BecomesReplacementCharacters) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(escape_label_value("a\xFF"
                               "b"),
            "a" + replacement + "b");
  EXPECT_EQ(escape_label_value("\xC3"), replacement);                    // truncated
  EXPECT_EQ(escape_label_value("\xC0\xAF"), replacement + replacement);  // overlong '/'
  EXPECT_EQ(escape_label_value("\xED\xA0\x80"), replacement + replacement + replacement);
  EXPECT_EQ(escape_help("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");  // a 4-byte emoji is fine
}

TEST(Names, MetricNames) {
  for (const char* good : {"a", "http_requests_total", ":rule:x", "_x9", "A:b_C"}) {
    EXPECT_TRUE(valid_metric_name(good)) << good;
  }
  for (const char* bad : {"", "9a", "a-b", "a b", "é", "a.b"}) {
    EXPECT_FALSE(valid_metric_name(bad)) << bad;
  }
}

TEST(Names, LabelNames) {
  for (const char* good : {"a", "method", "_x", "code_2"}) {
    EXPECT_TRUE(valid_label_name(good)) << good;
  }
  for (const char* bad : {"", "__name__", "__x", "a:b", "2a", "a-b"}) {
    EXPECT_FALSE(valid_label_name(bad)) << bad;
  }
}

}  // namespace
}  // namespace stampede::prometheus
