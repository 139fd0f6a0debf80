// check() bookkeeping, thresholds and their summary.json encoding (true = failed, as in k6),
// tag-filtered thresholds including group tags, and abort_on_fail.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

// The threshold verdict summary.json records for metrics[key].thresholds[expression].
nlohmann::json threshold_verdict(const nlohmann::json& summary, const std::string& key,
                                 const std::string& expression) {
  if (!summary.is_object() || !summary.contains("metrics") || !summary["metrics"].contains(key)) {
    return "metric missing";
  }
  const auto& metric = summary["metrics"][key];
  if (!metric.contains("thresholds") || !metric["thresholds"].contains(expression)) {
    return "threshold missing";
  }
  return metric["thresholds"][expression];
}

// shared-iterations gives each iteration its exact global index: 10 iterations, odd ones
// pass "odd", so 5 passes and 5 fails; "always" passes 10 times. check() returns true only
// when every entry passed, counted with a custom counter.
TEST(engine_checks, CountedExactlyPerEntry) {
  TempDir dir;
  const auto run = run_script(dir, R"(
local all_ok = metrics.counter("all_ok")
options = { iterations = 10, vus = 3 }
function default(vu)
  local ok = check(vu.iteration_in_scenario, {
    ["always"] = true,
    ["odd"] = function(i) return i % 2 == 1 end,
  })
  if ok then all_ok:add(1) end
end
)");
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  const CheckCounts always = check_counts(summary, "always");
  EXPECT_EQ(always.passes, 10);
  EXPECT_EQ(always.fails, 0);
  const CheckCounts odd = check_counts(summary, "odd");
  EXPECT_EQ(odd.passes, 5);
  EXPECT_EQ(odd.fails, 5);
  EXPECT_EQ(metric_field(summary, "checks", "passes"), 15);
  EXPECT_EQ(metric_field(summary, "checks", "fails"), 5);
  EXPECT_EQ(metric_field(summary, "all_ok", "count"), 5);
}

TEST(engine_thresholds, PassingExitsZeroAndRecordsFalse) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { iterations = 5,
  thresholds = { http_req_duration = { "p(95)<5000" }, http_reqs = { "count==5" } } }
function default(vu) http.get(BASE .. "/") end
)"));
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(threshold_verdict(summary, "http_req_duration", "p(95)<5000"), false);
  EXPECT_EQ(threshold_verdict(summary, "http_reqs", "count==5"), false);
}

TEST(engine_thresholds, FailingExitsNinetyNineAndRecordsTrue) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { iterations = 5,
  thresholds = { http_reqs = { "count>1000000000", "count>=5" } } }
function default(vu) http.get(BASE .. "/") end
)"));
  EXPECT_EQ(run.exit_code, 99) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(threshold_verdict(summary, "http_reqs", "count>1000000000"), true);
  EXPECT_EQ(threshold_verdict(summary, "http_reqs", "count>=5"), false);
}

// Requests named "slow" take >= 200 ms, "fast" ones do not: the {name:slow} sub-metric must
// hold only the slow ones, so "min>=150" passes there and "max<100" fails.
TEST(engine_thresholds, TagFilteredKeySeesOnlyMatchingSeries) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { iterations = 3, thresholds = {
  ["http_req_duration{name:slow}"] = { "min>=150", "max<100" },
  http_req_duration = { "min<150" } } }
function default(vu)
  http.get(BASE .. "/s?delay_ms=200", { name = "slow" })
  http.get(BASE .. "/f", { name = "fast" })
end
)"));
  EXPECT_EQ(run.exit_code, 99) << describe(run);
  auto summary = load_summary(dir);
  const std::string key = "http_req_duration{name:slow}";
  EXPECT_EQ(threshold_verdict(summary, key, "min>=150"), false) << summary["metrics"].dump();
  EXPECT_EQ(threshold_verdict(summary, key, "max<100"), true);
  EXPECT_EQ(threshold_verdict(summary, "http_req_duration", "min<150"), false);
  EXPECT_GE(metric_field(summary, key, "min"), 150);
  EXPECT_LT(metric_field(summary, "http_req_duration", "min"), 150);
}

// group("g") tags its samples with group "::g" (nested: "::outer::inner"); a threshold key
// {group:::g} must select exactly those, and group_duration is recorded.
TEST(engine_thresholds, GroupTagFilter) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { iterations = 2, thresholds = {
  ["http_req_duration{group:::g}"] = { "min>=150", "max<100" },
  ["http_req_duration{group:::outer::inner}"] = { "min>=80" },
  group_duration = { "max>=150" } } }
function default(vu)
  local value = group("g", function()
    http.get(BASE .. "/in-g?delay_ms=200")
    return 42
  end)
  check(value, { ["group returns"] = value == 42 })
  group("outer", function()
    group("inner", function() http.get(BASE .. "/in-inner?delay_ms=100") end)
  end)
  http.get(BASE .. "/outside")
end
)"));
  EXPECT_EQ(run.exit_code, 99) << describe(run);
  auto summary = load_summary(dir);
  const std::string g = "http_req_duration{group:::g}";
  const std::string inner = "http_req_duration{group:::outer::inner}";
  EXPECT_EQ(threshold_verdict(summary, g, "min>=150"), false) << summary["metrics"].dump();
  EXPECT_EQ(threshold_verdict(summary, g, "max<100"), true);
  EXPECT_EQ(threshold_verdict(summary, inner, "min>=80"), false);
  EXPECT_GE(metric_field(summary, inner, "max"), 80);
  EXPECT_LT(metric_field(summary, inner, "max"), 200);
  EXPECT_EQ(threshold_verdict(summary, "group_duration", "max>=150"), false);
  EXPECT_GE(metric_field(summary, "group_duration", "max"), 200);
  EXPECT_EQ(check_counts(summary, "group returns").passes, 2);
}

// A selector that matches no sample passes (as in k6) and says "no samples" in the summary.
TEST(engine_thresholds, NoSamplesPasses) {
  TempDir dir;
  const auto run = run_script(dir, R"(
options = { iterations = 1, thresholds = { ["iteration_duration{scenario:nowhere}"] = { "max<0" } } }
function default(vu) end
)");
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  EXPECT_NE(run.out.find("no samples"), std::string::npos) << describe(run);
  EXPECT_EQ(threshold_verdict(load_summary(dir), "iteration_duration{scenario:nowhere}", "max<0"),
            false);
}

// A 30 s run whose threshold fails within the first second: abort_on_fail stops it (exit 108)
// after at most a couple of one-second evaluations; results are still written.
TEST(engine_thresholds, AbortOnFailStopsTheRun) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { vus = 2, duration = "30s", thresholds = {
  http_reqs = { { threshold = "count<5", abort_on_fail = true } } } }
function default(vu) http.get(BASE .. "/?delay_ms=20") end
)"),
                              {}, std::chrono::seconds(40));
  EXPECT_EQ(run.exit_code, 108) << describe(run);
  EXPECT_LT(run.elapsed, std::chrono::seconds(6)) << describe(run);
  auto summary = load_summary(dir);
  ASSERT_TRUE(summary.is_object()) << "summary.json missing after an abort";
  EXPECT_EQ(threshold_verdict(summary, "http_reqs", "count<5"), true);
  EXPECT_GE(metric_field(summary, "http_reqs", "count"), 5);
}

// delay_abort_eval: the failing threshold is not acted on before the delay has passed.
TEST(engine_thresholds, AbortOnFailWaitsForDelayAbortEval) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { vus = 1, duration = "30s", thresholds = { http_reqs = {
  { threshold = "count<5", abort_on_fail = true, delay_abort_eval = "2s" } } } }
function default(vu) http.get(BASE .. "/?delay_ms=20") end
)"),
                              {}, std::chrono::seconds(40));
  EXPECT_EQ(run.exit_code, 108) << describe(run);
  EXPECT_GE(run.elapsed, std::chrono::seconds(2)) << describe(run);
  EXPECT_LT(run.elapsed, std::chrono::seconds(7)) << describe(run);
}

}  // namespace
}  // namespace stampede::engine_test
