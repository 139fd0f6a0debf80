#include "engine/platform/prometheus_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace stampede {
namespace {

TEST(PrometheusTextTest, ReadsSamplesLabelsAndSpecialValues) {
  auto samples = parse_prometheus_text(
      "# HELP shop_circuit_breaker_state Circuit breaker state\n"
      "# TYPE shop_circuit_breaker_state gauge\n"
      "shop_circuit_breaker_state{dependency=\"payment\"} 1\n"
      "shop_client_requests_total{dependency=\"payment\",method=\"Charge\",outcome=\"ok\"} 42\n"
      "shop_client_request_duration_seconds_bucket{dependency=\"payment\",method=\"Charge\","
      "le=\"+Inf\"} 7\n"
      "weird{msg=\"a \\\"quoted\\\" \\\\ back\\nslash\"} +Inf 1700000000000\n"
      "plain_metric 3.5e2\n"
      "nan_metric NaN\n");
  ASSERT_TRUE(samples.ok()) << samples.error().message();
  const auto& s = samples.value();
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s[0].name, "shop_circuit_breaker_state");
  EXPECT_EQ(s[0].label("dependency"), "payment");
  EXPECT_EQ(s[0].value, 1);
  EXPECT_EQ(s[1].label("outcome"), "ok");
  EXPECT_EQ(s[1].value, 42);
  EXPECT_EQ(s[2].label("le"), "+Inf");
  EXPECT_EQ(s[3].label("msg"), "a \"quoted\" \\ back\nslash");
  EXPECT_TRUE(std::isinf(s[3].value));
  EXPECT_EQ(s[4].value, 350);
  EXPECT_TRUE(s[4].labels.empty());
  EXPECT_EQ(s[4].label("absent"), "");
  EXPECT_TRUE(std::isnan(s[5].value));
}

TEST(PrometheusTextTest, MalformedLineNamesItsNumber) {
  auto r = parse_prometheus_text("ok_metric 1\nbroken{label=\"x\" 2\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("line 2"), std::string::npos) << r.error().message();
  EXPECT_FALSE(parse_prometheus_text("no_value\n").ok());
  EXPECT_FALSE(parse_prometheus_text("x 12abc\n").ok());
}

}  // namespace
}  // namespace stampede
