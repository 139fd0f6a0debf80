#include "reports/compare.h"

#include <gtest/gtest.h>

#include "reports/testing/sample_run.h"

namespace stampede {
namespace {

nlohmann::json sample(double latency_scale) {
  testing::SampleOptions o;
  o.latency_scale = latency_scale;
  return testing::sample_results_doc(o);
}

TEST(Compare, EqualRunsPass) {
  nlohmann::json base = sample(1);
  auto report = compare_results(base, base, CompareOptions{});
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_TRUE(report.value().regressions.empty());
  EXPECT_EQ(report.value().rows.size(), 10u);  // 2 names × 5 figures
  std::string table = render_compare_table(report.value(), CompareOptions{});
  EXPECT_NE(table.find("compare: no regression beyond 10%"), std::string::npos) << table;
}

TEST(Compare, SlowerLatencyIsARegressionBeyondTheLimit) {
  auto report = compare_results(sample(1), sample(1.5), CompareOptions{});
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report.value().regressions.empty());
  EXPECT_NE(report.value().regressions[0].find("checkout p50 +"), std::string::npos)
      << report.value().regressions[0];
  std::string table = render_compare_table(report.value(), CompareOptions{});
  EXPECT_NE(table.find("REGRESSION"), std::string::npos);

  CompareOptions lenient;
  lenient.max_regression = 0.6;
  EXPECT_TRUE(compare_results(sample(1), sample(1.5), lenient).value().regressions.empty());
  // Faster is never a regression.
  EXPECT_TRUE(
      compare_results(sample(1.5), sample(1), CompareOptions{}).value().regressions.empty());
}

TEST(Compare, ErrorRateThroughputAndMissingNames) {
  nlohmann::json base = sample(1);
  nlohmann::json worse = base;
  worse["requests"][0]["error_rate"] = 0.2;  // checkout: 0.0476 -> 0.2
  worse["requests"][1]["rps"] = base["requests"][1]["rps"].get<double>() * 0.5;  // home
  auto report = compare_results(base, worse, CompareOptions{});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report.value().regressions.size(), 2u);
  EXPECT_NE(report.value().regressions[0].find("checkout error_rate"), std::string::npos);
  EXPECT_NE(report.value().regressions[1].find("home rps -50%"), std::string::npos)
      << report.value().regressions[1];

  nlohmann::json fewer = base;
  fewer["requests"].erase(0);
  report = compare_results(base, fewer, CompareOptions{});
  ASSERT_EQ(report.value().regressions.size(), 1u);
  EXPECT_EQ(report.value().regressions[0], "checkout: not requested in the new run");
  // A name only in the new run is listed, not a regression.
  EXPECT_TRUE(compare_results(fewer, base, CompareOptions{}).value().regressions.empty());
}

TEST(Compare, DifferentScenariosAreRefused) {
  nlohmann::json base = sample(1);
  nlohmann::json other = base;
  other["run"]["script"] = "scenarios/other.lua";
  auto report = compare_results(base, other, CompareOptions{});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message(),
            "the runs come from different scenarios: base ran sample.lua (scenarios: default), "
            "new ran other.lua (scenarios: default)");
  other = base;
  other["run"]["scenarios"][0]["name"] = "shoppers";
  EXPECT_FALSE(compare_results(base, other, CompareOptions{}).ok());
}

TEST(Compare, RegressionLimitParsing) {
  EXPECT_DOUBLE_EQ(parse_regression_limit("10%").value(), 0.10);
  EXPECT_DOUBLE_EQ(parse_regression_limit("2.5").value(), 0.025);
  EXPECT_FALSE(parse_regression_limit("ten").ok());
  EXPECT_FALSE(parse_regression_limit("-5%").ok());
  EXPECT_EQ(parse_regression_limit("%").error().message(),
            "--max-regression %: expected a percentage such as 10%");
}

}  // namespace
}  // namespace stampede
