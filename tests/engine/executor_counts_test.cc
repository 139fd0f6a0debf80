// Exact totals promised by the executors (docs/scripting.md, "Scenarios"): iteration and
// request counts must be exact whatever the number of worker threads, and the server must
// have seen exactly the requests the summary reports.
#include <gtest/gtest.h>

#include <string>

#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

// The indices i in [0, n) for which the server did not see `prefix`<i> exactly once ("" when
// every index was seen once), e.g. "7 13 ".
std::string indices_not_seen_once(const nlohmann::json& stats, const std::string& prefix, int n) {
  if (!stats.is_object() || !stats.contains("by_path")) return "no by_path in /stats";
  std::string wrong;
  for (int i = 0; i < n; ++i) {
    if (stats["by_path"].value(prefix + std::to_string(i), 0) != 1)
      wrong += std::to_string(i) + " ";
  }
  return wrong;
}

// Runs each case with one and with two worker threads (--threads): totals must not change.
class ExactCounts : public ::testing::TestWithParam<int> {
 protected:
  std::vector<std::string> threads_flag() const {
    return {"--threads", std::to_string(GetParam())};
  }
};
// ctest names must contain "engine" (ctest -R engine selects this suite).
using engine_counts = ExactCounts;

TEST_P(engine_counts, SharedIterations) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { s = { executor = "shared-iterations", vus = 4, iterations = 100 } } }
function default(vu)
  http.get(BASE .. "/a")
  http.get(BASE .. "/b")
  http.get(BASE .. "/c" .. vu.iteration_in_scenario)
end
)"),
                              threads_flag());
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "http_reqs", "count"), 300);
  EXPECT_EQ(metric_field(summary, "iterations", "count"), 100);
  auto stats = server.stats();
  ASSERT_TRUE(stats.is_object());
  EXPECT_EQ(stats["requests"], 300) << stats.dump();
  EXPECT_EQ(stats["by_path"]["/a"], 100) << stats.dump();
  EXPECT_EQ(stats["by_path"]["/b"], 100) << stats.dump();
  // shared-iterations: iteration_in_scenario is the exact global index 0..99.
  EXPECT_EQ(indices_not_seen_once(stats, "/c", 100), "");
}

TEST_P(engine_counts, PerVuIterations) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  // Each VU hits its own path, so the server sees how many iterations every VU ran.
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { s = { executor = "per-vu-iterations", vus = 5, iterations = 7 } } }
function default(vu)
  http.get(BASE .. "/vu" .. vu.id)
end
)"),
                              threads_flag());
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "iterations", "count"), 35);
  EXPECT_EQ(metric_field(summary, "http_reqs", "count"), 35);
  auto stats = server.stats();
  ASSERT_TRUE(stats.is_object());
  EXPECT_EQ(stats["requests"], 35);
  ASSERT_EQ(stats["by_path"].size(), 5u) << stats.dump();
  for (const auto& [path, count] : stats["by_path"].items()) EXPECT_EQ(count, 7) << path;
}

// 50/s for 2 s, the first at once: arrivals at 0, 20 ms, ..., 1980 ms => exactly 100.
TEST_P(engine_counts, ConstantArrivalRate) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { s = { executor = "constant-arrival-rate", rate = 50, time_unit = "1s",
                                duration = "2s", pre_allocated_vus = 10, max_vus = 20 } } }
function default(vu)
  http.get(BASE .. "/car" .. vu.iteration_in_scenario)
end
)"),
                              threads_flag());
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "iterations", "count"), 100);
  EXPECT_EQ(metric_field(summary, "http_reqs", "count"), 100);
  // dropped_iterations may be left out when it has no samples; if present it must be 0.
  if (summary["metrics"].contains("dropped_iterations")) {
    EXPECT_EQ(metric_field(summary, "dropped_iterations", "count"), 0);
  }
  // Arrival-rate executors: iteration_in_scenario is the exact global index 0..99.
  auto stats = server.stats();
  EXPECT_EQ(stats["requests"], 100);
  EXPECT_EQ(indices_not_seen_once(stats, "/car", 100), "");
}

// The rate ramps 0 -> 40/s over 1 s, holds 40/s for 1 s, ramps to 0 over 0.5 s: the integral is
// 20 + 40 + 10 = 70 arrivals. k6's rule starts arrival k (0-based) when the integral reaches
// k + 1, so all 70 start, the last at the very end of the stages.
TEST_P(engine_counts, RampingArrivalRateEqualsIntegral) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { s = { executor = "ramping-arrival-rate", start_rate = 0,
    pre_allocated_vus = 10, max_vus = 20,
    stages = { { duration = "1s", target = 40 }, { duration = "1s", target = 40 },
               { duration = "500ms", target = 0 } } } } }
function default(vu)
  http.get(BASE .. "/rar")
end
)"),
                              threads_flag());
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "iterations", "count"), 70);
  EXPECT_EQ(server.stats()["by_path"]["/rar"], 70);
}

// start_rate 5/s ramping to 20/s over 1 s: integral 5 + 7.5 = 12.5. With arrival k at integral
// k + 1 that is arrivals at 1, 2, ..., 12 => 12 (a "first at once" rule would give 13).
TEST_P(engine_counts, RampingArrivalRateFractionalIntegral) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { s = { executor = "ramping-arrival-rate", start_rate = 5,
    pre_allocated_vus = 5, max_vus = 10, stages = { { duration = "1s", target = 20 } } } } }
function default(vu)
  http.get(BASE .. "/rar")
end
)"),
                              threads_flag());
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_EQ(metric_field(load_summary(dir), "iterations", "count"), 12);
  EXPECT_EQ(server.stats()["by_path"]["/rar"], 12);
}

INSTANTIATE_TEST_SUITE_P(threads, engine_counts, ::testing::Values(1, 2),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return "threads" + std::to_string(info.param);
                         });

// 20 arrivals in 1 s on a single VU whose iterations take 300 ms: most arrivals find no free
// VU and are dropped, but every arrival is either started or dropped.
TEST(engine_dropped, ArrivalsWithoutFreeVuAreDropped) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { s = { executor = "constant-arrival-rate", rate = 20, time_unit = "1s",
                                duration = "1s", pre_allocated_vus = 1, max_vus = 1 } } }
function default(vu)
  http.get(BASE .. "/slow?delay_ms=300")
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  const double iterations = metric_field(summary, "iterations", "count");
  const double dropped = metric_field(summary, "dropped_iterations", "count");
  EXPECT_GT(dropped, 0) << summary.dump(2);
  EXPECT_EQ(iterations + dropped, 20) << "iterations " << iterations << " dropped " << dropped;
  EXPECT_EQ(server.stats()["by_path"]["/slow"], iterations);
}

// Two scenarios, each with its own exec function, tags and start: every scenario's totals are
// exact, its samples carry scenario=<name> and its tags, and start_time delays the second.
TEST(engine_scenarios, SeveralScenariosWithExecAndStartTime) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = {
  scenarios = {
    browse = { executor = "shared-iterations", exec = "browse", vus = 2, iterations = 10,
               tags = { flow = "window" } },
    buy = { executor = "per-vu-iterations", exec = "buy", vus = 2, iterations = 3,
            start_time = "700ms" },
  },
  thresholds = {
    ["http_reqs{scenario:browse}"] = { "count==10" },
    ["http_reqs{scenario:buy}"] = { "count==6" },
    ["http_reqs{flow:window}"] = { "count==10" },
  },
}
function browse(vu) check(vu, { ["browse scenario"] = vu.scenario == "browse" }); http.get(BASE .. "/browse") end
function buy(vu) check(vu, { ["buy scenario"] = vu.scenario == "buy" }); http.get(BASE .. "/buy") end
function default(vu) http.get(BASE .. "/default") end
)"));
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_GE(run.elapsed, std::chrono::milliseconds(700)) << "start_time ignored?";
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "iterations", "count"), 16);
  EXPECT_EQ(metric_field(summary, "http_reqs{scenario:browse}", "count"), 10);
  EXPECT_EQ(metric_field(summary, "http_reqs{scenario:buy}", "count"), 6);
  EXPECT_EQ(metric_field(summary, "http_reqs{flow:window}", "count"), 10);
  EXPECT_EQ(metric_field(summary, "checks", "fails"), 0) << failed_checks(summary);
  auto stats = server.stats();
  EXPECT_EQ(stats["by_path"]["/browse"], 10) << stats.dump();
  EXPECT_EQ(stats["by_path"]["/buy"], 6) << stats.dump();
  EXPECT_FALSE(stats["by_path"].contains("/default")) << stats.dump();
}

}  // namespace
}  // namespace stampede::engine_test
