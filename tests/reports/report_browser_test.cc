// report.html in a real browser: headless Chromium (Debian's) driven by playwright-core loads
// the file with no console errors and no network requests, every section is in the DOM, each
// chart's series are drawn (pixels of the series' own colour on its canvas), and the full-page
// screenshot is a real, tall picture. Once for a real run, once for a synthetic chaos run.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/engine/engine_fixture.h"
#include "tests/reports/report_helpers.h"

namespace stampede::reports_test {
namespace {

namespace fs = std::filesystem;
using engine_test::describe;
using engine_test::TempDir;
using engine_test::TestServer;

const char* const kSections[] = {"verdict", "validations",  "phases",   "recovery",
                                 "charts",  "distribution", "requests", "thresholds",
                                 "checks",  "events",       "generator"};

// Runs check_report.js on `html`; the decoded JSON, or null (with the output in `log`).
nlohmann::json check_in_browser(const fs::path& html, const fs::path& screenshot,
                                std::string* log) {
  Command c = run_command(
      {STAMPEDE_NODE, std::string(STAMPEDE_SOURCE_DIR) + "/tests/reports/check_report.js",
       html.string(), screenshot.string()},
      std::chrono::seconds(120));
  *log = c.out;
  if (c.exit_code != 0) return nullptr;
  size_t brace = c.out.find('{');
  if (brace == std::string::npos) return nullptr;
  return nlohmann::json::parse(c.out.substr(brace), nullptr, false);
}

void expect_clean_page_with_charts(const nlohmann::json& page, const fs::path& screenshot,
                                   const std::vector<std::string>& charts) {
  EXPECT_TRUE(page["console_errors"].empty()) << page["console_errors"].dump();
  EXPECT_TRUE(page["page_errors"].empty()) << page["page_errors"].dump();
  EXPECT_TRUE(page["requests"].empty())
      << "the report must not touch the network: " << page["requests"].dump();
  for (const char* id : kSections) EXPECT_TRUE(page["sections"].contains(id)) << "section #" << id;
  for (const std::string& id : charts) {
    const nlohmann::json* chart = nullptr;
    for (const auto& c : page["charts"]) {
      if (c["id"] == id) chart = &c;
    }
    ASSERT_NE(chart, nullptr) << "chart #" << id << " missing";
    EXPECT_TRUE((*chart)["canvas"].get<bool>()) << id;
    int drawn_series = 0;
    for (const auto& n : (*chart)["series_pixels"]) drawn_series += n.get<int>() >= 50 ? 1 : 0;
    EXPECT_GE(drawn_series, 1) << id << ": no series line drawn: " << chart->dump();
  }
  auto [width, height] = png_size(screenshot);
  EXPECT_EQ(width, 1280) << "screenshot is not a PNG of the page";
  EXPECT_GT(height, 2500) << "the page is too short to hold every section";
  EXPECT_GT(fs::file_size(screenshot), 100'000u) << "an almost blank screenshot";
}

TEST(report_browser, RealRunOpensOfflineWithItsCharts) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  auto run = engine_test::run_script(dir, engine_test::with_base(server, R"(
options = {
  scenarios = { shop = { executor = "constant-arrival-rate", rate = 50, duration = "3s",
                         pre_allocated_vus = 5 } },
  thresholds = { ["http_req_duration{name:home}"] = { "p(99)<2000" } },
}
function default(vu)
  http.get(BASE .. "/?delay_ms=5", { name = "home" })
  check(http.get(BASE .. "/missing?status=404", { name = "missing" }), { ["is 404"] = function(r) return r.status == 404 end })
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  fs::path html = fs::path(dir.out_dir()) / "report.html";
  ASSERT_TRUE(fs::exists(html));
  std::string log;
  nlohmann::json page = check_in_browser(html, dir.path() / "shot.png", &log);
  ASSERT_TRUE(page.is_object()) << log;
  expect_clean_page_with_charts(page, dir.path() / "shot.png",
                                {"chart-rate", "chart-latency", "chart-vus", "chart-availability",
                                 "chart-generator", "chart-distribution"});
  const auto& s = page["sections"];
  EXPECT_NE(s["verdict"].get<std::string>().find("PASSED (exit 0)"), std::string::npos);
  EXPECT_NE(s["requests"].get<std::string>().find("home"), std::string::npos);
  EXPECT_NE(s["requests"].get<std::string>().find("missing"), std::string::npos);
  EXPECT_NE(s["thresholds"].get<std::string>().find("p(99)<2000"), std::string::npos);
  EXPECT_NE(s["checks"].get<std::string>().find("is 404"), std::string::npos);
  // Sections without data say so.
  EXPECT_NE(s["validations"].get<std::string>().find("No validations"), std::string::npos);
  EXPECT_NE(s["phases"].get<std::string>().find("No phases"), std::string::npos);
  EXPECT_NE(s["charts"].get<std::string>().find("No platform samples"), std::string::npos);
  EXPECT_NE(s["events"].get<std::string>().find("No chaos actions"), std::string::npos);
}

TEST(report_browser, SyntheticChaosRunShowsBandsReplicasAndValidations) {
  TempDir dir;
  Command sample = run_command({STAMPEDE_SAMPLE_RESULTS, "--failing", "--bottleneck"});
  ASSERT_EQ(sample.exit_code, 0) << sample.out;
  const std::string results = dir.write("results.json", sample.out);
  const fs::path html = dir.path() / "chaos.html";
  Command report = run_command({STAMPEDE_BINARY, "report", results, "-o", html.string()});
  ASSERT_EQ(report.exit_code, 0) << report.out;
  std::string log;
  nlohmann::json page = check_in_browser(html, dir.path() / "shot.png", &log);
  ASSERT_TRUE(page.is_object()) << log;
  expect_clean_page_with_charts(page, dir.path() / "shot.png",
                                {"chart-rate", "chart-latency", "chart-availability",
                                 "chart-replicas", "chart-distribution"});
  const auto& s = page["sections"];
  EXPECT_NE(s["verdict"].get<std::string>().find("FAILED (exit 99)"), std::string::npos);
  EXPECT_NE(s["verdict"].get<std::string>().find("The generator was the bottleneck"),
            std::string::npos);
  EXPECT_NE(s["validations"].get<std::string>().find("recovery after pod-kill#1"),
            std::string::npos);
  EXPECT_NE(s["validations"].get<std::string>().find("time to recover: 2.9 s"), std::string::npos);
  EXPECT_NE(s["phases"].get<std::string>().find("during fault#2"), std::string::npos);
  EXPECT_NE(s["recovery"].get<std::string>().find("pod-kill#1"), std::string::npos);
  EXPECT_NE(s["events"].get<std::string>().find("readiness probe passed"), std::string::npos);
  for (const auto& c : page["charts"]) {
    if (c["id"] != "chart-replicas") continue;
    const std::string want =
        R"x(["t (s)","cartservice ready","cartservice replicas","frontend ready","frontend replicas"])x";
    EXPECT_EQ(c["legend"].dump(), want);
  }
}

TEST(report_browser, MergedRunShowsItsParts) {
  TempDir dir;
  Command sample = run_command({STAMPEDE_SAMPLE_RESULTS});
  ASSERT_EQ(sample.exit_code, 0) << sample.out;
  nlohmann::json doc = nlohmann::json::parse(sample.out);
  doc["merge"] = {{"inputs",
                   {{{"dir", "part0"},
                     {"segment", "0:1/2"},
                     {"outcome", "completed"},
                     {"requests", 400},
                     {"errors", 2},
                     {"iterations", 100},
                     {"seconds", 5}},
                    {{"dir", "part1"},
                     {"segment", "1/2:1"},
                     {"outcome", "killed"},
                     {"requests", 150},
                     {"errors", 0},
                     {"iterations", 40},
                     {"seconds", 2}}}},
                  {"coverage",
                   {{"sequence", "0,1/2,1"},
                    {"covered", "1"},
                    {"complete", true},
                    {"missing", nlohmann::json::array()}}},
                  {"warnings", {"part1 did not finish"}}};
  const std::string results = dir.write("results.json", doc.dump());
  const fs::path html = dir.path() / "merged.html";
  Command report = run_command({STAMPEDE_BINARY, "report", results, "-o", html.string()});
  ASSERT_EQ(report.exit_code, 0) << report.out;
  std::string log;
  nlohmann::json page = check_in_browser(html, dir.path() / "shot.png", &log);
  ASSERT_TRUE(page.is_object()) << log;
  EXPECT_TRUE(page["page_errors"].empty()) << page["page_errors"].dump();
  ASSERT_TRUE(page["sections"].contains("merged")) << page["sections"].dump();
  const std::string merged = page["sections"]["merged"].get<std::string>();
  EXPECT_NE(merged.find("2 run(s) of sequence 0,1/2,1, covering 1 of the test."), std::string::npos)
      << merged;
  EXPECT_NE(merged.find("part1"), std::string::npos) << merged;
  EXPECT_NE(merged.find("killed"), std::string::npos) << merged;
  EXPECT_NE(merged.find("part1 did not finish"), std::string::npos) << merged;
}

}  // namespace
}  // namespace stampede::reports_test
