// The run's lifecycle: setup() data flowing to iterations and teardown(), SIGINT (graceful,
// then immediate on a second signal) with results still written, and the validate and
// version commands.
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "engine/metrics/hlog_reader.h"
#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(engine_lifecycle, SetupDataReachesIterationsAndTeardown) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { s = { executor = "shared-iterations", vus = 4, iterations = 8 } } }
function setup()
  http.get(BASE .. "/setup")
  return { token = "abc", list = { 1, 2, 3 } }
end
function default(vu, data)
  check(data, { ["token"] = function(d) return d.token == "abc" end,
                ["list"] = function(d) return #d.list == 3 and d.list[3] == 3 end })
end
function teardown(data)
  http.get(BASE .. "/teardown-" .. data.token)
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(check_counts(summary, "token").passes, 8) << failed_checks(summary);
  EXPECT_EQ(check_counts(summary, "token").fails, 0);
  EXPECT_EQ(check_counts(summary, "list").passes, 8) << failed_checks(summary);
  auto stats = server.stats();
  EXPECT_EQ(stats["by_path"]["/setup"], 1) << stats.dump();
  EXPECT_EQ(stats["by_path"]["/teardown-abc"], 1) << stats.dump();
  EXPECT_EQ(stats["requests"], 2) << stats.dump();
}

// First SIGINT after ~2 s of a 30 s run: graceful stop, exit 105 within a few seconds,
// teardown still runs, and summary.json / latency.hlog hold the requests made so far.
TEST(engine_lifecycle, SigintStopsGracefullyAndWritesResults) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string script = dir.write("script.lua", with_base(server, R"(
options = { vus = 2, duration = "30s" }
function default(vu) http.get(BASE .. "/iter?delay_ms=10") end
function teardown(data) http.get(BASE .. "/teardown") end
)"));
  StampedeProcess process({"run", "--quiet", "--out", dir.out_dir(), script}, dir.path());
  ASSERT_TRUE(process.started());
  std::this_thread::sleep_for(seconds(2));
  const auto signalled = std::chrono::steady_clock::now();
  process.signal(SIGINT);
  const auto run = process.wait(seconds(20));
  const auto stop_time = std::chrono::steady_clock::now() - signalled;
  EXPECT_EQ(run.exit_code, 105) << describe(run);
  EXPECT_LT(stop_time, seconds(4)) << describe(run);
  auto summary = load_summary(dir);
  ASSERT_TRUE(summary.is_object()) << "no summary.json after SIGINT\n" << describe(run);
  const double requests = metric_field(summary, "http_reqs", "count");
  EXPECT_GT(requests, 0);
  EXPECT_GT(metric_field(summary, "iterations", "count"), 0);
  std::ifstream hlog(fs::path(dir.out_dir()) / "latency.hlog");
  ASSERT_TRUE(hlog.is_open()) << "no latency.hlog after SIGINT";
  const auto parsed = read_hlog(hlog);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  int64_t logged = 0;
  for (const auto& interval : parsed.value().intervals) logged += interval.histogram.total_count();
  EXPECT_EQ(logged, requests) << "latency.hlog must hold every request made before the stop";
  auto stats = server.stats();
  EXPECT_EQ(stats["by_path"]["/teardown"], 1) << "teardown did not run after a graceful stop";
  EXPECT_EQ(stats["requests"], requests) << stats.dump();
}

// Iterations stuck in a 20 s request: the first SIGINT waits for them (graceful_stop is 30 s),
// the second stops now. The interrupted iterations are not in `iterations`, they show as
// interrupted_iterations, and teardown does not run after a second SIGINT.
TEST(engine_lifecycle, SecondSigintStopsNow) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string script = dir.write("script.lua", with_base(server, R"(
options = { vus = 2, duration = "30s" }
function default(vu) http.get(BASE .. "/stuck?delay_ms=20000") end
function teardown(data) http.get(BASE .. "/teardown") end
)"));
  StampedeProcess process({"run", "--quiet", "--out", dir.out_dir(), script}, dir.path());
  ASSERT_TRUE(process.started());
  std::this_thread::sleep_for(milliseconds(1000));
  process.signal(SIGINT);
  std::this_thread::sleep_for(milliseconds(500));
  const auto signalled = std::chrono::steady_clock::now();
  process.signal(SIGINT);
  const auto run = process.wait(seconds(20));
  EXPECT_EQ(run.exit_code, 105) << describe(run);
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, seconds(3)) << describe(run);
  auto summary = load_summary(dir);
  ASSERT_TRUE(summary.is_object()) << "no summary.json after a second SIGINT\n" << describe(run);
  const double iterations = metric_field(summary, "iterations", "count");
  EXPECT_TRUE(std::isnan(iterations) || iterations == 0) << summary["metrics"].dump();
  EXPECT_EQ(summary["stampede"].value("interrupted_iterations", -1), 2) << summary.dump();
  EXPECT_EQ(server.stats()["by_path"].value("/teardown", 0), 0);
}

// graceful_stop bounds how long running iterations may finish after the scenario's duration;
// the cut ones are not counted in iterations but as interrupted_iterations.
TEST(engine_lifecycle, GracefulStopInterruptsLongIterations) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { s = { executor = "constant-vus", vus = 2, duration = "1s",
                                graceful_stop = "500ms" } } }
function default(vu) http.get(BASE .. "/stuck?delay_ms=10000") end
)"));
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_LT(run.elapsed, seconds(5)) << describe(run);
  auto summary = load_summary(dir);
  const double iterations = metric_field(summary, "iterations", "count");
  EXPECT_TRUE(std::isnan(iterations) || iterations == 0) << summary["metrics"].dump();
  EXPECT_EQ(summary["stampede"].value("interrupted_iterations", -1), 2) << summary.dump();
}

// validate loads the script and checks options, prints the scenarios, sends nothing.
TEST(engine_commands, ValidateSendsNoTraffic) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string script = dir.write("script.lua", with_base(server, R"(
options = { scenarios = { checkout_flow = { executor = "constant-vus", vus = 2, duration = "5s" } } }
function setup() http.get(BASE .. "/setup") end
function default(vu) http.get(BASE .. "/iteration") end
)"));
  const auto run = run_stampede({"validate", script}, dir, seconds(15));
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NE((run.out + run.err).find("checkout_flow"), std::string::npos) << describe(run);
  EXPECT_LT(run.elapsed, seconds(4)) << describe(run);
  EXPECT_EQ(server.stats()["requests"], 0) << server.stats().dump();
}

TEST(engine_commands, ValidateRejectsBadOptions) {
  TempDir dir;
  const std::string script =
      dir.write("script.lua", "options = { vus = 1, duration = \"1s\", nope = true }\n");
  const auto run = run_stampede({"validate", script}, dir, seconds(15));
  EXPECT_EQ(run.exit_code, 104) << describe(run);
  EXPECT_NE(run.err.find("options.nope"), std::string::npos) << describe(run);
}

// --iterations and --rate/--duration replace the script's scenarios (k6's behaviour); -e
// overrides the script's env table.
TEST(engine_commands, FlagsReplaceScenariosAndSetEnv) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const std::string script = with_base(server, R"(
options = { scenarios = { s = { executor = "shared-iterations", vus = 2, iterations = 100 } } }
function default(vu) http.get(BASE .. env.TARGET) end
)");
  auto run = run_script(dir, script, {"--iterations", "7", "-e", "TARGET=/from-env"});
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(metric_field(load_summary(dir), "iterations", "count"), 7);
  EXPECT_EQ(server.stats()["by_path"]["/from-env"], 7) << server.stats().dump();

  run = run_script(dir, script, {"--rate", "20", "--duration", "1s", "-e", "TARGET=/rated"});
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(metric_field(load_summary(dir), "iterations", "count"), 20);
  EXPECT_EQ(server.stats()["by_path"]["/rated"], 20) << server.stats().dump();
}

TEST(engine_commands, VersionPrintsName) {
  TempDir dir;
  const auto run = run_stampede({"version"}, dir, seconds(10));
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(run.out.rfind("stampede ", 0), 0u) << describe(run);
}

}  // namespace
}  // namespace stampede::engine_test
