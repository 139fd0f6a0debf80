// What --out writes (summary.json in k6's summary-export shape, latency.hlog as an
// HdrHistogram interval log), per-request names and tags as threshold sub-metrics, and the
// max_series cap, which must fold series without losing samples.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/metrics/hlog_reader.h"
#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

namespace fs = std::filesystem;

// 2 VUs for 2 s on a 20 ms endpoint: the trend fields are present, ordered and in ms; the
// counter has count and rate; the .hlog (µs) holds every request exactly once.
TEST(engine_outputs, SummaryJsonShapeAndHlogTotals) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { vus = 2, duration = "2s" }
function default(vu) http.get(BASE .. "/?delay_ms=20") end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  ASSERT_TRUE(summary.is_object());

  const auto& duration = summary["metrics"]["http_req_duration"];
  double previous = 0;
  for (const char* field : {"min", "med", "p(90)", "p(95)", "p(99)", "max"}) {
    ASSERT_TRUE(duration.contains(field) && duration[field].is_number())
        << field << " in " << duration.dump();
    EXPECT_GE(duration[field].get<double>(), previous) << field << " out of order";
    previous = duration[field].get<double>();
  }
  ASSERT_TRUE(duration.contains("avg"));
  EXPECT_GE(duration["min"].get<double>(), 19.0) << "not in milliseconds?";
  EXPECT_LT(duration["avg"].get<double>(), 500.0) << "not in milliseconds?";

  const double count = metric_field(summary, "http_reqs", "count");
  const double rate = metric_field(summary, "http_reqs", "rate");
  EXPECT_GT(count, 20);
  EXPECT_EQ(server.stats()["requests"], count);
  // ~2 s of load: the per-second rate is close to count / 2.
  EXPECT_GT(rate, count / 3.0);
  EXPECT_LT(rate, count / 1.8);
  EXPECT_EQ(metric_field(summary, "http_req_failed", "passes"), 0);
  EXPECT_EQ(metric_field(summary, "http_req_failed", "fails"), count);

  const fs::path hlog_path = fs::path(dir.out_dir()) / "latency.hlog";
  EXPECT_NE(read_text(hlog_path).find("Histogram log format version 1.3"), std::string::npos);
  std::ifstream hlog(hlog_path);
  ASSERT_TRUE(hlog.is_open()) << "latency.hlog missing";
  const auto parsed = read_hlog(hlog);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_GE(parsed.value().intervals.size(), 2u) << "one line per second of a 2 s run";
  int64_t total = 0;
  int64_t max_us = 0;
  for (const auto& interval : parsed.value().intervals) {
    total += interval.histogram.total_count();
    if (!interval.histogram.empty()) {
      EXPECT_GE(interval.histogram.min(), 19'000) << "values must be in microseconds";
      // The max column is in milliseconds.
      const double max_ms = interval.histogram.max() / 1000.0;
      EXPECT_NEAR(interval.max, max_ms, max_ms * 0.01) << "max column not in ms";
    }
    max_us = std::max(max_us, interval.histogram.max());
  }
  EXPECT_EQ(total, count);
  // The same samples as summary.json's max (ms), within HDR's 3 significant digits.
  EXPECT_NEAR(max_us / 1000.0, duration["max"].get<double>(), duration["max"].get<double>() * 0.01);
}

// Names and tags become threshold selectors with exact counts: a request's name (default: its
// URL), its own tags, the scenario's tags, the run's tags, method and status.
TEST(engine_outputs, RequestNamesAndTagsSelectSubMetrics) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string plain_key = "http_reqs{name:" + server.base_url() + "/plain}";
  const auto run = run_script(dir, with_base(server, R"(
options = {
  tags = { env = "ci" },
  scenarios = { buy = { executor = "shared-iterations", vus = 2, iterations = 4,
                        tags = { flow = "purchase" } } },
  thresholds = {
    ["http_reqs{name:item}"] = { "count==8" },
    ["http_reqs{step:pay}"] = { "count==4" },
    ["http_reqs{flow:purchase}"] = { "count==16" },
    ["http_reqs{env:ci}"] = { "count==16" },
    ["http_reqs{method:POST}"] = { "count==4" },
    ["http_reqs{status:201}"] = { "count==4" },
    ["http_reqs{name:" .. BASE .. "/plain}"] = { "count==4" },
  },
}
function default(vu)
  http.get(BASE .. "/item/" .. vu.iteration_in_scenario, { name = "item" })
  http.get(BASE .. "/item/x" .. vu.iteration_in_scenario, { name = "item" })
  http.post(BASE .. "/pay?status=201", "card", { tags = { step = "pay" } })
  http.get(BASE .. "/plain")
end
)"));
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  const std::vector<std::pair<std::string, double>> expected = {{"http_reqs{name:item}", 8},
                                                                {"http_reqs{step:pay}", 4},
                                                                {"http_reqs{flow:purchase}", 16},
                                                                {"http_reqs{env:ci}", 16},
                                                                {"http_reqs{method:POST}", 4},
                                                                {"http_reqs{status:201}", 4},
                                                                {plain_key, 4}};
  for (const auto& [key, count] : expected) {
    EXPECT_EQ(metric_field(summary, key, "count"), count) << key;
  }
}

// 50 distinct URLs without names under max_series = 5: the run completes, warns about the cap,
// and folds the extra series instead of dropping samples, so every total stays exact.
TEST(engine_outputs, MaxSeriesFoldsWithoutLosingSamples) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { iterations = 50, vus = 2, max_series = 5 }
function default(vu) http.get(BASE .. "/p" .. vu.iteration_in_scenario) end
)"));
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NE(run.err.find("max_series"), std::string::npos) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "http_reqs", "count"), 50);
  EXPECT_EQ(metric_field(summary, "iterations", "count"), 50);
  EXPECT_EQ(metric_field(summary, "http_req_failed", "fails"), 50);
  auto stats = server.stats();
  EXPECT_EQ(stats["requests"], 50);
  EXPECT_EQ(stats["by_path"].size(), 50u);
}

}  // namespace
}  // namespace stampede::engine_test
