// What `stampede run --out` leaves besides summary.json: results.json agreeing with summary.json
// and with itself (the 100 ms timeline sums to the request count), junit.xml valid against
// reports/junit.xsd (xmllint), summary.md rendered by a Markdown parser (marked), all of them
// also after SIGINT, the .hlog decoded by hdr-histogram-js matching stampede's percentiles, and
// `stampede report`'s answers to bad input.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "engine/metrics/hdr_codec.h"
#include "engine/metrics/hdr_histogram.h"
#include "tests/engine/engine_fixture.h"
#include "tests/reports/report_helpers.h"

namespace stampede::reports_test {
namespace {

namespace fs = std::filesystem;
using engine_test::describe;
using engine_test::read_text;
using engine_test::TempDir;
using engine_test::TestServer;

nlohmann::json load_json(const fs::path& path) {
  return nlohmann::json::parse(read_text(path), nullptr, false);
}

const char* kMixedScript = R"(
options = { vus = 3, duration = "2s",
            thresholds = { http_req_failed = { "rate<0.9" }, ["http_req_duration{name:slow}"] = { "p(95)<1" } } }
function default(vu)
  http.get(BASE .. "/?delay_ms=2", { name = "fast" })
  http.get(BASE .. "/x?delay_ms=10&status=503", { name = "slow" })
end
)";

TEST(report_outputs, ResultsJsonAgreesWithSummaryAndItsOwnTimeline) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  auto run = engine_test::run_script(dir, engine_test::with_base(server, kMixedScript));
  ASSERT_EQ(run.exit_code, 99) << describe(run);  // the p(95)<1 ms threshold fails
  const fs::path out = dir.out_dir();
  for (const char* f : {"results.json", "report.html", "junit.xml", "summary.md", "summary.json"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
  }
  nlohmann::json doc = load_json(out / "results.json");
  ASSERT_TRUE(doc.is_object());
  nlohmann::json summary = engine_test::load_summary(dir);
  EXPECT_EQ(doc["schema"], "stampede-results");
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["verdict"]["exit_code"], 99);
  EXPECT_FALSE(doc["verdict"]["passed"].get<bool>());
  EXPECT_EQ(doc["run"]["outcome"], "completed");

  const double total = engine_test::metric_field(summary, "http_reqs", "count");
  int64_t by_name = 0, failed_by_name = 0;
  for (const auto& r : doc["requests"]) {
    by_name += r["requests"].get<int64_t>();
    failed_by_name += r["failed"].get<int64_t>();
    if (r["name"] == "slow") {
      EXPECT_DOUBLE_EQ(r["error_rate"].get<double>(), 1.0);
    }
    if (r["name"] == "fast") {
      EXPECT_DOUBLE_EQ(r["error_rate"].get<double>(), 0.0);
    }
  }
  EXPECT_EQ(by_name, total);
  EXPECT_EQ(failed_by_name, engine_test::metric_field(summary, "http_req_failed", "passes"));

  // The fine timeline holds every request once, in 100 ms buckets covering the run.
  int64_t fine_requests = 0, fine_failed = 0, fine_classes = 0;
  for (const auto& b : doc["fine_timeline"]["buckets"]) {
    fine_requests += b[0].get<int64_t>();
    fine_failed += b[1].get<int64_t>();
    for (size_t i = 2; i < b.size(); ++i) fine_classes += b[i].get<int64_t>();
  }
  EXPECT_EQ(fine_requests, total);
  EXPECT_EQ(fine_failed, failed_by_name);
  EXPECT_EQ(fine_classes, total);
  const double duration = doc["run"]["duration_s"].get<double>();
  EXPECT_GE(doc["fine_timeline"]["buckets"].size(), static_cast<size_t>(duration * 10));
  EXPECT_LE(doc["fine_timeline"]["buckets"].size(), static_cast<size_t>(duration * 10) + 2);

  int64_t per_second = 0;
  for (const auto& p : doc["timeline"]) per_second += p["requests"].get<int64_t>();
  EXPECT_EQ(per_second, total);
  EXPECT_GT(doc["generator"]["workers"].get<int>(), 0);
  EXPECT_FALSE(doc["generator"]["bottleneck"].get<bool>()) << doc["generator"].dump();
  if (access("/proc/thread-self/schedstat", R_OK) == 0) {  // the run-queue wait is measured
    EXPECT_GE(doc["generator"]["cpu_wait_avg_percent"].get<double>(), 0);
    for (const auto& p : doc["timeline"]) EXPECT_GE(p["cpu_wait_percent"].get<double>(), 0);
  }

  // The overall histogram decodes to the request count.
  auto hist = decode_base64(doc["latency_distribution"]["histogram_base64"].get<std::string>());
  ASSERT_TRUE(hist.ok()) << hist.error().message();
  EXPECT_EQ(hist.value().total_count(), total);
  EXPECT_EQ(doc["thresholds"].size(), 2u);
}

TEST(report_outputs, JunitValidatesAgainstItsSchema) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  auto run = engine_test::run_script(dir, engine_test::with_base(server, kMixedScript));
  ASSERT_EQ(run.exit_code, 99) << describe(run);
  const std::string xsd = std::string(STAMPEDE_SOURCE_DIR) + "/reports/junit.xsd";
  const std::string junit = dir.out_dir() + "/junit.xml";
  Command lint = run_command({"xmllint", "--noout", "--schema", xsd, junit});
  EXPECT_EQ(lint.exit_code, 0) << lint.out;
  std::string xml = read_text(junit);
  EXPECT_NE(xml.find("failures=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"http_req_duration{name:slow} p(95)&lt;1 failed: observed"),
            std::string::npos)
      << xml;

  // The synthetic chaos run: validations become test cases with their evidence.
  Command sample = run_command({STAMPEDE_SAMPLE_RESULTS, "--failing"});
  ASSERT_EQ(sample.exit_code, 0) << sample.out;
  const std::string results = dir.write("chaos/results.json", sample.out);
  const std::string chaos_junit = (dir.path() / "chaos" / "junit.xml").string();
  Command report = run_command({STAMPEDE_BINARY, "report", results, "--junit", chaos_junit});
  ASSERT_EQ(report.exit_code, 0) << report.out;
  lint = run_command({"xmllint", "--noout", "--schema", xsd, chaos_junit});
  EXPECT_EQ(lint.exit_code, 0) << lint.out;
  EXPECT_NE(read_text(chaos_junit).find("time to recover: 2.9 s"), std::string::npos);

  // The schema is not a rubber stamp: a broken file fails it.
  std::string broken = read_text(junit);
  broken.replace(broken.find("tests=\""), 7, "tests=\"x");
  const std::string bad = dir.write("broken.xml", broken);
  EXPECT_NE(run_command({"xmllint", "--noout", "--schema", xsd, bad}).exit_code, 0);
}

TEST(report_outputs, SummaryMarkdownRenders) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  auto run = engine_test::run_script(dir, engine_test::with_base(server, kMixedScript));
  ASSERT_EQ(run.exit_code, 99) << describe(run);
  const std::string script =
      "const {marked} = require('" + std::string(STAMPEDE_SOURCE_DIR) +
      "/reports/node_modules/marked');"
      "process.stdout.write(marked.parse(require('fs').readFileSync(process.argv[1], 'utf8')));";
  Command html = run_command({STAMPEDE_NODE, "-e", script, dir.out_dir() + "/summary.md"});
  ASSERT_EQ(html.exit_code, 0) << html.out;
  EXPECT_NE(html.out.find("<h2>❌ stampede: failed (exit 99)</h2>"), std::string::npos) << html.out;
  size_t tables = 0;
  for (size_t at = html.out.find("<table>"); at != std::string::npos;
       at = html.out.find("<table>", at + 1))
    ++tables;
  EXPECT_EQ(tables, 2u) << "thresholds and requests: " << html.out;
  EXPECT_NE(html.out.find("<code>slow</code>"), std::string::npos);
  EXPECT_NE(html.out.find("No validations"), std::string::npos);
}

TEST(report_outputs, InterruptedRunStillWritesEverything) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string script = dir.write("script.lua", engine_test::with_base(server, R"(
options = { vus = 2, duration = "60s" }
function default(vu) http.get(BASE .. "/?delay_ms=20", { name = "home" }) end
)"));
  engine_test::StampedeProcess p({"run", "--quiet", "--out", dir.out_dir(), script}, dir.path());
  ASSERT_TRUE(p.started());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  p.signal(SIGINT);
  auto run = p.wait(std::chrono::seconds(30));
  ASSERT_EQ(run.exit_code, 105) << describe(run);
  nlohmann::json doc = load_json(fs::path(dir.out_dir()) / "results.json");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["run"]["outcome"], "interrupted");
  EXPECT_EQ(doc["verdict"]["exit_code"], 105);
  EXPECT_GT(doc["requests"][0]["requests"].get<int64_t>(), 0);
  for (const char* f : {"report.html", "junit.xml", "summary.md"}) {
    EXPECT_GT(fs::file_size(fs::path(dir.out_dir()) / f), 100u) << f;
  }
  EXPECT_NE(read_text(fs::path(dir.out_dir()) / "junit.xml").find("the run ended: interrupted"),
            std::string::npos);
}

// The .hlog of a real run, decoded by hdr-histogram-js: all intervals merged give the run's
// request count and stampede's own p50/p90/p99/max (summary.json) within one histogram bucket.
TEST(report_outputs, HlogDecodedByHdrHistogramJsMatchesOwnPercentiles) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  auto run = engine_test::run_script(dir, engine_test::with_base(server, R"(
options = { vus = 4, duration = "2s" }
function default(vu) http.get(BASE .. "/?delay_ms=" .. (vu.iteration % 7) * 3, { name = "home" }) end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  Command js =
      run_command({STAMPEDE_NODE, std::string(STAMPEDE_SOURCE_DIR) + "/tests/hdr_js/decode_hlog.js",
                   dir.out_dir() + "/latency.hlog"});
  ASSERT_EQ(js.exit_code, 0) << js.out << " (did `npm ci --prefix tests/hdr_js` run?)";
  nlohmann::json decoded = nlohmann::json::parse(js.out, nullptr, false);
  ASSERT_TRUE(decoded.is_object()) << js.out;
  nlohmann::json summary = engine_test::load_summary(dir);
  const nlohmann::json& all = decoded["all"];
  EXPECT_EQ(all["total_count"].get<double>(),
            engine_test::metric_field(summary, "http_reqs", "count"));
  HdrHistogram config(1, HdrHistogram::kDefaultHighestTrackable, 3);  // the .hlog's configuration
  for (auto [js_field, summary_field] : {std::pair{"p50", "med"}, std::pair{"p90", "p(90)"},
                                         std::pair{"p99", "p(99)"}, std::pair{"max", "max"}}) {
    const auto theirs = static_cast<int64_t>(all[js_field].get<double>());
    const auto ours =
        std::llround(engine_test::metric_field(summary, "http_req_duration", summary_field) * 1000);
    EXPECT_TRUE(config.values_are_equivalent(theirs, ours))
        << js_field << ": hdr-histogram-js " << theirs << " µs, stampede " << ours << " µs";
  }
}

TEST(report_outputs, ReportCommandRejectsBadInputWith104) {
  TempDir dir;
  Command missing = run_command({STAMPEDE_BINARY, "report", (dir.path() / "nope.json").string()});
  EXPECT_EQ(missing.exit_code, 104);
  EXPECT_NE(missing.out.find("nope.json: cannot read: No such file or directory"),
            std::string::npos)
      << missing.out;

  const std::string corrupt = dir.write("corrupt.json", "{\"schema\": \"stampede-results\", \"ver");
  Command bad = run_command({STAMPEDE_BINARY, "report", corrupt});
  EXPECT_EQ(bad.exit_code, 104);
  EXPECT_NE(bad.out.find("corrupt.json: not valid JSON (byte "), std::string::npos) << bad.out;

  Command sample = run_command({STAMPEDE_SAMPLE_RESULTS});
  nlohmann::json old = nlohmann::json::parse(sample.out);
  old["version"] = 0;
  const std::string older = dir.write("old.json", old.dump());
  Command v0 = run_command({STAMPEDE_BINARY, "report", older});
  EXPECT_EQ(v0.exit_code, 104);
  EXPECT_NE(
      v0.out.find("old.json: schema version 0 is not supported (this stampede reads version 1)"),
      std::string::npos)
      << v0.out;
  EXPECT_FALSE(fs::exists(dir.path() / "report.html")) << "nothing is written on bad input";
}

}  // namespace
}  // namespace stampede::reports_test
