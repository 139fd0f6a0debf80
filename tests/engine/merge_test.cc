// `stampede merge` end to end: real `stampede run` processes (one per execution segment) against
// the test server, their --out folders merged, and the merge compared with the unsegmented run
// of the same test; refusals exit 104; a killed run's intervals.pb is still merged.
#include <gtest/gtest.h>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "engine/metrics/hdr_histogram.h"
#include "engine/metrics/hlog_reader.h"
#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

namespace fs = std::filesystem;

nlohmann::json load_json(const fs::path& path) {
  return nlohmann::json::parse(read_text(path), nullptr, /*allow_exceptions=*/false);
}

// Every interval of an .hlog added into one histogram (µs); false when it does not parse.
bool add_hlog(const fs::path& path, HdrHistogram& into) {
  std::ifstream in(path);
  auto file = read_hlog(in);
  if (!file.ok()) return false;
  for (const HlogInterval& i : file.value().intervals) {
    if (!into.add(i.histogram).ok()) return false;
  }
  return true;
}

// Sum of a metric's values[field] over every series of results.json.
double results_total(const nlohmann::json& results, const std::string& metric,
                     const std::string& field) {
  double total = 0;
  for (const auto& m : results["metrics"]) {
    if (m["metric"] == metric) total += m["values"][field].get<double>();
  }
  return total;
}

// 90 shared iterations over 6 VUs plus an open-model scenario of 20 iterations/s for 2 s: both
// are split exactly by segments.
const char* kScript = R"(
options = {
  scenarios = {
    shared = { executor = "shared-iterations", vus = 6, iterations = 90, max_duration = "20s" },
    open = { executor = "constant-arrival-rate", rate = 20, duration = "2s",
             pre_allocated_vus = 6, exec = "open" },
  },
}
function default(vu) http.get(BASE .. "/?delay_ms=2", { name = "shared" }) end
function open(vu) http.get(BASE .. "/?delay_ms=1", { name = "open" }) end
)";

TEST(engine_merge, ThreeSegmentedRunsMergeToTheUnsegmentedCounts) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string script = dir.write("script.lua", with_base(server, kScript));
  const char* segments[] = {"0:1/3", "1/3:2/3", "2/3:1"};
  std::vector<std::string> outs;
  std::vector<std::unique_ptr<StampedeProcess>> runs;
  for (int i = 0; i < 3; ++i) {
    outs.push_back((dir.path() / ("part" + std::to_string(i))).string());
    const fs::path capture = dir.path() / ("capture" + std::to_string(i));
    fs::create_directories(capture);
    runs.push_back(std::make_unique<StampedeProcess>(
        std::vector<std::string>{"run", "--quiet", "--threads", "1", "--out", outs.back(),
                                 "--execution-segment", segments[i], "--execution-segment-sequence",
                                 "0,1/3,2/3,1", script},
        capture));
    ASSERT_TRUE(runs.back()->started());
  }
  for (auto& r : runs) {
    RunResult done = r->wait(std::chrono::seconds(40));
    ASSERT_EQ(done.exit_code, 0) << describe(done);
  }
  const RunResult whole =
      run_script(dir, with_base(server, kScript), {"--threads", "1"}, std::chrono::seconds(40));
  ASSERT_EQ(whole.exit_code, 0) << describe(whole);

  const std::string merged = (dir.path() / "merged").string();
  std::vector<std::string> args = {"merge"};
  args.insert(args.end(), outs.begin(), outs.end());
  args.insert(args.end(), {"-o", merged});
  const RunResult merge = run_stampede(args, dir);
  ASSERT_EQ(merge.exit_code, 0) << describe(merge);
  EXPECT_NE(merge.out.find("MERGED 3 RUNS (covering 1 of the test)"), std::string::npos)
      << merge.out;

  for (const char* f :
       {"results.json", "summary.json", "report.html", "junit.xml", "summary.md", "latency.hlog"}) {
    EXPECT_TRUE(fs::exists(fs::path(merged) / f)) << f;
  }
  auto results = load_json(fs::path(merged) / "results.json");
  auto alone = load_json(fs::path(dir.out_dir()) / "results.json");
  ASSERT_TRUE(results.is_object() && alone.is_object());
  EXPECT_EQ(results_total(results, "iterations", "count"), 90 + 40);
  EXPECT_EQ(results_total(results, "iterations", "count"),
            results_total(alone, "iterations", "count"));
  EXPECT_EQ(results_total(results, "http_reqs", "count"),
            results_total(alone, "http_reqs", "count"));
  EXPECT_EQ(results["merge"]["coverage"]["covered"], "1");
  EXPECT_EQ(results["merge"]["coverage"]["complete"], true);
  ASSERT_EQ(results["merge"]["inputs"].size(), 3u);
  double per_input = 0;
  for (const auto& in : results["merge"]["inputs"]) per_input += in["iterations"].get<double>();
  EXPECT_EQ(per_input, 130);
  EXPECT_EQ(results["merge"]["inputs"][1]["segment"], "1/3:2/3");

  // p99: the merged histogram is the one built from every input's latency.hlog intervals.
  HdrHistogram inputs(1, 3'600'000'000, 3), from_merge(1, 3'600'000'000, 3);
  for (const std::string& out : outs) ASSERT_TRUE(add_hlog(fs::path(out) / "latency.hlog", inputs));
  ASSERT_TRUE(add_hlog(fs::path(merged) / "latency.hlog", from_merge));
  EXPECT_EQ(inputs.total_count(), 130);
  EXPECT_EQ(from_merge.total_count(), inputs.total_count());
  EXPECT_EQ(from_merge.value_at_percentile(99), inputs.value_at_percentile(99));
  auto summary = load_json(fs::path(merged) / "summary.json");
  const auto& d = summary["metrics"]["http_req_duration"];
  const double expected_p99 =
      std::min(inputs.value_at_percentile(99) / 1000.0, d["max"].get<double>());
  EXPECT_DOUBLE_EQ(d["p(99)"].get<double>(), expected_p99);
}

TEST(engine_merge, RefusesOtherScriptsAndOverlapsWith104) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string body =
      "options = { vus = 1, iterations = 3 }\n"
      "function default(vu) http.get(BASE .. '/') end\n";
  const std::string a = dir.write("a.lua", with_base(server, body));
  const std::string b = dir.write("b.lua", with_base(server, body + "-- another script\n"));
  auto run = [&](const std::string& script, const std::string& out, const char* segment) {
    return run_stampede(
        {"run", "--quiet", "--out", (dir.path() / out).string(), "--execution-segment", segment,
         "--execution-segment-sequence", "0,1/2,1", script},
        dir);
  };
  ASSERT_EQ(run(a, "a0", "0:1/2").exit_code, 0);
  ASSERT_EQ(run(a, "a0again", "0:1/2").exit_code, 0);
  ASSERT_EQ(run(b, "b1", "1/2:1").exit_code, 0);
  const std::string a0 = (dir.path() / "a0").string();
  const std::string again = (dir.path() / "a0again").string();
  const std::string b1 = (dir.path() / "b1").string();

  const RunResult scripts =
      run_stampede({"merge", a0, b1, "-o", (dir.path() / "m1").string()}, dir);
  EXPECT_EQ(scripts.exit_code, 104) << describe(scripts);
  EXPECT_NE(scripts.err.find(a0 + " and " + b1 + " ran different scripts"), std::string::npos)
      << scripts.err;

  const RunResult overlap =
      run_stampede({"merge", a0, again, "-o", (dir.path() / "m2").string()}, dir);
  EXPECT_EQ(overlap.exit_code, 104) << describe(overlap);
  EXPECT_NE(overlap.err.find(a0 + " (0:1/2) and " + again + " (0:1/2) overlap"), std::string::npos)
      << overlap.err;

  const RunResult missing = run_stampede(
      {"merge", (dir.path() / "nothing").string(), "-o", (dir.path() / "m3").string()}, dir);
  EXPECT_EQ(missing.exit_code, 104) << describe(missing);
  EXPECT_NE(missing.err.find("intervals.pb"), std::string::npos) << missing.err;
}

TEST(engine_merge, AKilledRunLeavesTheSecondsItMeasured) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string script = dir.write(
      "script.lua", with_base(server,
                              "options = { vus = 2, duration = '10s' }\n"
                              "function default(vu) http.get(BASE .. '/?delay_ms=5') end\n"));
  const std::string out = (dir.path() / "killed").string();
  fs::create_directories(dir.path() / "capture");
  StampedeProcess proc({"run", "--quiet", "--out", out, script}, dir.path() / "capture");
  ASSERT_TRUE(proc.started());
  std::this_thread::sleep_for(std::chrono::milliseconds(2600));
  proc.signal(SIGKILL);
  RunResult killed = proc.wait(std::chrono::seconds(5));
  ASSERT_EQ(killed.term_signal, SIGKILL) << describe(killed);

  const RunResult merge = run_stampede({"merge", out, "-o", (dir.path() / "m").string()}, dir);
  EXPECT_EQ(merge.exit_code, 105) << describe(merge);
  EXPECT_NE(merge.err.find("did not finish"), std::string::npos) << merge.err;
  auto results = load_json(dir.path() / "m" / "results.json");
  ASSERT_TRUE(results.is_object());
  EXPECT_EQ(results["merge"]["inputs"][0]["outcome"], "killed");
  EXPECT_GE(results["merge"]["inputs"][0]["seconds"].get<int>(), 1);
  EXPECT_GT(results_total(results, "http_reqs", "count"), 0);
  EXPECT_EQ(results["run"]["outcome"], "interrupted");
}

}  // namespace
}  // namespace stampede::engine_test
