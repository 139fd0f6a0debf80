// Scripts that used to crash, hang, escape the sandbox or lose results (found in review): each
// must now end with its documented exit code and its results written.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "engine/metrics/hlog_reader.h"
#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// Iterations that never yield used to start the next one inside the previous one's call chain
// until the stack overflowed (exit 139).
TEST(engine_robustness, IterationsThatNeverYieldRunManyTimes) {
  TempDir dir;
  const auto run = run_script(dir, R"(
options = { scenarios = {
  loop = { executor = "constant-vus", vus = 2, duration = "1s" },
  fixed = { executor = "shared-iterations", vus = 1, iterations = 100000, exec = "failing" },
} }
function default(vu) end
function failing(vu) http.get("not a url") end
)");
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_GT(metric_field(summary, "iterations", "count"), 100000) << describe(run);
  ASSERT_FALSE(summary["stampede"]["script_errors"].empty());
  EXPECT_EQ(summary["stampede"]["script_errors"][0]["count"], 100000);
}

// require("io") / require("os") / require("debug") used to return the unsandboxed libraries.
TEST(engine_robustness, RequireCannotReachTheOriginalLibraries) {
  TempDir dir;
  const auto run = run_script(dir, R"(
local rio, ros = require("io"), require("os")
local has_debug = pcall(require, "debug")
function default(vu)
  check(nil, {
    ["io is sandboxed"] = rio.popen == nil and rio.write == nil,
    ["os is sandboxed"] = ros.execute == nil,
    ["no debug"] = not has_debug,
    ["io.open write raises"] = not pcall(rio.open, "x.txt", "w"),
  })
end
)");
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "checks", "fails"), 0) << failed_checks(summary);
  EXPECT_EQ(metric_field(summary, "checks", "passes"), 4);
  EXPECT_FALSE(fs::exists(dir.path() / "x.txt"));
}

// http.get / sleep inside a callback that cannot yield used to start work and then fail the
// yield, handing a later request the wrong response.
TEST(engine_robustness, WaitingWhereLuaCannotYieldIsAClearError) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { iterations = 3 }
function default(vu)
  local ok, err = pcall(string.gsub, "a", "a", function() http.get(BASE .. "/first") end)
  local slept = pcall(table.sort, {2, 1}, function(a, b) sleep(0.01) return a < b end)
  local r = http.get(BASE .. "/echo")
  check(r, {
    ["gsub refused"] = not ok and tostring(err):find("cannot wait here") ~= nil,
    ["sort refused"] = not slept,
    ["right response"] = r.status == 200 and r:json().path == "/echo",
  })
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "checks", "fails"), 0) << failed_checks(summary);
  EXPECT_EQ(metric_field(summary, "iterations", "count"), 3);
  EXPECT_EQ(server.stats()["requests"], 3) << server.stats().dump();
}

// A setup() that outlives setup_timeout used to count as success with nil data.
TEST(engine_robustness, SetupTimeoutIsAScriptError) {
  TempDir dir;
  const auto run = run_script(dir, R"(
options = { setup_timeout = "300ms", iterations = 1 }
function setup() sleep(5) return { late = true } end
function default(vu, data) end
)");
  EXPECT_EQ(run.exit_code, 107) << describe(run);
  EXPECT_NE(run.err.find("timeout"), std::string::npos) << describe(run);
  EXPECT_LT(run.elapsed, seconds(4));
}

// Invalid UTF-8 in a check name used to abort the process while writing summary.json.
TEST(engine_robustness, InvalidUtf8StillWritesTheSummary) {
  TempDir dir;
  const auto run = run_script(dir,
                              "options = { iterations = 2 }\n"
                              "function default(vu) check(1, { [\"caf\\xe9\"] = true }) end\n");
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  ASSERT_TRUE(summary.is_object()) << describe(run);
  EXPECT_EQ(metric_field(summary, "checks", "passes"), 2);
}

// A script whose globals raise on unknown names (a "strict" module) used to panic Lua.
TEST(engine_robustness, StrictGlobalsDoNotPanic) {
  TempDir dir;
  const auto run = run_script(dir, R"(
function default(vu) end
setmetatable(_G, { __index = function(_, k) error("undefined global " .. tostring(k), 2) end })
)");
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(run.err.find("PANIC"), std::string::npos) << describe(run);
}

// A VU spinning in Lua used to ignore every signal; the second SIGINT must stop it.
TEST(engine_robustness, SecondSigintStopsASpinningScript) {
  TempDir dir;
  const std::string script = dir.write("script.lua", R"(
options = { vus = 1, duration = "30s" }
function default(vu) while true do end end
)");
  StampedeProcess process({"run", "--quiet", "--out", dir.out_dir(), script}, dir.path());
  ASSERT_TRUE(process.started());
  std::this_thread::sleep_for(seconds(1));
  process.signal(SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  process.signal(SIGINT);
  const auto run = process.wait(seconds(10));
  EXPECT_FALSE(run.timed_out) << describe(run);
  EXPECT_EQ(run.exit_code, 105) << describe(run);
  EXPECT_TRUE(load_summary(dir).is_object());
}

// Non-time trends hold large values (they used to saturate at 3.6e6).
TEST(engine_robustness, LargeTrendValuesAreNotClamped) {
  TempDir dir;
  const auto run = run_script(dir, R"(
local sizes = metrics.trend("order_cents")
options = { iterations = 1, thresholds = { order_cents = { "med>40000000" } } }
function default(vu) for i = 1, 100 do sizes:add(i * 1000000) end end
)");
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_NEAR(metric_field(summary, "order_cents", "med"), 50e6, 0.01 * 50e6);
  EXPECT_NEAR(metric_field(summary, "order_cents", "max"), 100e6, 1);
}

// Each second appears once in latency.hlog, whatever order the workers report in.
TEST(engine_robustness, HlogHasEachSecondOnce) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { vus = 8, duration = "3s" }
function default(vu) http.get(BASE .. "/?delay_ms=5") end
)"),
                              {"--threads", "4"});
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  std::ifstream in(fs::path(dir.out_dir()) / "latency.hlog");
  auto hlog = read_hlog(in);
  ASSERT_TRUE(hlog.ok()) << hlog.error().message();
  std::set<long> starts;
  int64_t total = 0;
  for (const auto& interval : hlog.value().intervals) {
    EXPECT_TRUE(starts.insert(std::lround(interval.start_seconds * 1000)).second)
        << "second starting at " << interval.start_seconds << " logged twice";
    total += interval.histogram.total_count();
  }
  EXPECT_EQ(total, metric_field(load_summary(dir), "http_reqs", "count"));
}

}  // namespace
}  // namespace stampede::engine_test
