// options.chaos and options.expect: what they become, and a clear error naming the option path
// for every kind of bad input.
#include <gtest/gtest.h>

#include <string>

#include "engine/lua/lua_state.h"
#include "engine/lua/options_reader.h"

namespace stampede {
namespace {

Result<RunPlan> plan_of(const std::string& options) {
  LuaStatePtr state(luaL_newstate());
  luaL_openlibs(state.get());
  std::string code = "function default() end\noptions = " + options;
  EXPECT_EQ(luaL_dostring(state.get(), code.c_str()), LUA_OK) << lua_tostring(state.get(), -1);
  MetricRegistry registry;
  return read_run_plan(state.get(), {}, registry);
}

// options with a 60 s run and `chaos`/`expect` spliced in.
std::string with(const std::string& chaos, const std::string& expect = "") {
  std::string out = "{ vus = 1, duration = '60s'";
  if (!chaos.empty()) out += ", chaos = " + chaos;
  if (!expect.empty()) out += ", expect = " + expect;
  return out + " }";
}

std::string error_of(const std::string& options) {
  auto plan = plan_of(options);
  return plan.ok() ? "(no error)" : plan.error().message();
}

TEST(ChaosOptionsTest, ReadsActionsWithIdsModesAndParameters) {
  auto plan = plan_of(with(R"({
    max_pods = 3, seed = 7, guard = { min_availability = 0.5, window = '5s' },
    { at = '10s', action = 'pod-kill', target = 'cart' },
    { at = '20s', action = 'fault', target = 'app=payment', mode = 'all', duration = '10s',
      error_rate = 1, latency_ms = 200, methods = { 'Charge' } },
    { at = '40s', action = 'scale', target = 'frontend', replicas = 3, duration = '5s' },
    { at = '41s', action = 'pod-kill', target = 'cart', count = 2, name = 'double-kill' },
    { at = '50s', action = 'proxy-fault', target = 'redis', blackhole = true, duration = '3s' },
    { at = '55s', action = 'pod-terminate', target = 'ad', percent = 50, grace_period = '2s' },
    { at = '56s', action = 'dependency-down', target = 'redis' },
    { at = '57s', action = 'pod-pause', target = 'email', duration = '1s', max_pods = 1 },
    { at = '58s', action = 'rollout-restart', target = 'checkout' },
  })"));
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  const ChaosPlan& c = plan.value().chaos;
  ASSERT_EQ(c.actions.size(), 9u);
  EXPECT_EQ(c.max_pods, 3);
  EXPECT_EQ(c.seed, 7u);
  EXPECT_TRUE(c.guard.enabled);
  EXPECT_EQ(c.guard.min_availability, 0.5);
  EXPECT_EQ(c.guard.window, 5 * kNanosPerSecond);

  const ChaosAction& kill = c.actions[0];
  EXPECT_EQ(kill.id, "pod-kill#1");
  EXPECT_EQ(kill.kind, ActionKind::kPodKill);
  EXPECT_EQ(kill.at, 10 * kNanosPerSecond);
  EXPECT_EQ(kill.mode, PodMode::kOne);
  EXPECT_EQ(kill.max_pods, 3);  // the plan's cap
  EXPECT_EQ(kill.end(), kill.at);

  const ChaosAction& fault = c.actions[1];
  EXPECT_EQ(fault.id, "fault#1");
  EXPECT_TRUE(fault.selector);
  EXPECT_EQ(fault.mode, PodMode::kAll);
  EXPECT_EQ(*fault.knobs.error_rate, 1);
  EXPECT_EQ(*fault.knobs.latency_ms, 200);
  EXPECT_EQ(fault.knobs.methods, std::vector<std::string>{"Charge"});
  EXPECT_EQ(fault.end(), 30 * kNanosPerSecond);

  EXPECT_EQ(c.actions[2].replicas, 3);
  EXPECT_EQ(c.actions[3].id, "double-kill");
  EXPECT_EQ(c.actions[3].mode, PodMode::kFixed);
  EXPECT_EQ(c.actions[3].count, 2);
  EXPECT_TRUE(c.actions[4].network.blackhole);
  EXPECT_EQ(c.actions[5].mode, PodMode::kPercent);
  EXPECT_EQ(c.actions[5].percent, 50);
  EXPECT_EQ(c.actions[5].grace_seconds, 2);
  EXPECT_EQ(c.actions[6].end(), -1);  // reversible without duration: until the run ends
  EXPECT_EQ(c.actions[7].max_pods, 1);
  EXPECT_EQ(c.actions[8].id, "rollout-restart#1");
  EXPECT_TRUE(c.needs_platform());
}

TEST(ChaosOptionsTest, ReadsExpectationsAndResolvesActionReferences) {
  auto plan = plan_of(with(R"({
      { at = '10s', action = 'pod-kill', target = 'cart', name = 'kill-cart' },
      { at = '20s', action = 'fault', target = 'payment', error_rate = 1, duration = '10s' },
      { at = '40s', action = 'rollout-restart', target = 'frontend' } })",
                           R"({
      { kind = 'availability', during = 'kill-cart', min = 0.99, min_by_time = 0.9,
        slo = { max_error_rate = 0.05, latency_ms = 500, max_slow_rate = 0.1 } },
      { kind = 'availability', phase = 'baseline', min = 0.999 },
      { kind = 'recovery', after = 'pod-kill', within = '5s', detect_within = '1s' },
      { kind = 'self-healing', after = 'kill-cart', restart_allowance = '3s' },
      { kind = 'self-healing', after = 'fault', restart = false, name = 'slow is fine' },
      { kind = 'zero-downtime', during = 'rollout-restart' },
      { kind = 'circuit-breaker', during = 'fault#1', caller = 'checkout', dependency = 'payment',
        fast_fail = '50ms', fast_fail_percentile = 95, close_within = '10s',
        max_reached_share = 0.2 },
      { kind = 'autoscaling', target = 'frontend', from = '5s', scale_up_within = '30s',
        max_violation = '3s', scale_down_window = '20s' } })"));
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  const auto& e = plan.value().chaos.expectations;
  ASSERT_EQ(e.size(), 8u);
  EXPECT_EQ(e[0].name, "availability during kill-cart");
  EXPECT_EQ(e[0].during, "kill-cart");
  EXPECT_EQ(*e[0].min_by_time, 0.9);
  EXPECT_EQ(e[0].slo.latency_ms, 500);
  EXPECT_EQ(e[1].phase, "baseline");
  EXPECT_EQ(e[2].after, "kill-cart");  // by kind: the only pod-kill
  EXPECT_EQ(e[2].name, "recovery after kill-cart");
  EXPECT_EQ(e[2].within, 5 * kNanosPerSecond);
  EXPECT_EQ(e[3].restart_allowance, 3 * kNanosPerSecond);
  EXPECT_FALSE(e[4].restart);
  EXPECT_EQ(e[4].name, "slow is fine");
  EXPECT_EQ(*e[5].min, 0.999);  // zero-downtime's default floor
  EXPECT_EQ(e[6].caller, "checkout");
  EXPECT_EQ(e[6].fast_fail, 50 * kNanosPerMilli);
  EXPECT_EQ(e[6].fast_fail_percentile, 95);
  EXPECT_EQ(e[6].name, "circuit-breaker checkout->payment during fault#1");
  EXPECT_EQ(e[7].from, 5 * kNanosPerSecond);
  EXPECT_EQ(e[7].max_violation, 3 * kNanosPerSecond);
}

TEST(ChaosOptionsTest, AvailabilityAloneNeedsNoPlatform) {
  auto plan = plan_of(with("", "{ { kind = 'availability', min = 0.99 } }"));
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  EXPECT_EQ(plan.value().chaos.expectations[0].phase, "run");
  EXPECT_FALSE(plan.value().chaos.needs_platform());
}

struct BadCase {
  const char* chaos;
  const char* expect;
  const char* error;
};

class ChaosOptionsBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ChaosOptionsBadInputTest, NamesTheOptionPath) {
  const BadCase& c = GetParam();
  std::string error = error_of(with(c.chaos, c.expect));
  EXPECT_NE(error.find(c.error), std::string::npos) << "got: " << error;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ChaosOptionsBadInputTest,
    ::testing::Values(
        BadCase{"{ { at = '1s', action = 'pod-explode', target = 'x' } }", "",
                "options.chaos[1].action: unknown action 'pod-explode' (expected pod-kill"},
        BadCase{"{ { at = '1s', target = 'x' } }", "", "options.chaos[1].action: missing"},
        BadCase{"{ { action = 'pod-kill', target = 'x' } }", "", "options.chaos[1].at: missing"},
        BadCase{"{ { at = '90s', action = 'pod-kill', target = 'x' } }", "",
                "options.chaos[1].at: 1m30s is not before the run ends (1m0s)"},
        BadCase{"{ { at = '1s', action = 'pod-kill' } }", "", "options.chaos[1].target: missing"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x', duration = '5s' } }", "",
                "options.chaos[1].duration: pod-kill is instant"},
        BadCase{"{ { at = '1s', action = 'pod-pause', target = 'x' } }", "",
                "options.chaos[1].duration: pod-pause needs a duration"},
        BadCase{"{ { at = '1s', action = 'scale', target = 'app=x', replicas = 1 } }", "",
                "options.chaos[1].target: scale needs a deployment name, not a selector"},
        BadCase{"{ { at = '1s', action = 'scale', target = 'x' } }", "",
                "options.chaos[1].replicas: missing"},
        BadCase{"{ { at = '1s', action = 'scale', target = 'x', replicas = 1, mode = 'all' } }", "",
                "options.chaos[1].mode: scale acts on a deployment"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x', mode = 'some' } }", "",
                "options.chaos[1].mode: unknown mode 'some'"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x', mode = 'fixed' } }", "",
                "options.chaos[1].count: mode \"fixed\" needs count"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x', mode = 'percent' } }", "",
                "options.chaos[1].percent: mode \"percent\" needs percent in (0, 100]"},
        BadCase{"{ { at = '1s', action = 'fault', target = 'x' } }", "",
                "fault needs at least one knob"},
        BadCase{"{ { at = '1s', action = 'fault', target = 'x', error_rate = 2 } }", "",
                "options.chaos[1].error_rate: expected a number in [0, 1]"},
        BadCase{"{ { at = '1s', action = 'fault', target = 'x', latency_ms = 1.5 } }", "",
                "options.chaos[1].latency_ms: expected whole milliseconds"},
        BadCase{"{ { at = '1s', action = 'proxy-fault', target = 'x' } }", "",
                "proxy-fault needs at least one of"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x', bogus = 1 } }", "",
                "options.chaos[1].bogus: unknown option"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x', name = 'a' }, "
                "{ at = '2s', action = 'pod-kill', target = 'y', name = 'a' } }",
                "", "options.chaos[2].name: 'a' names another action too"},
        BadCase{"{ guard = { window = '5s' } }", "",
                "options.chaos.guard.min_availability: missing"},
        BadCase{"{ max_pods = 0 }", "",
                "options.chaos.max_pods: expected a whole number in [1, 100000], got 0"},
        BadCase{"{ colour = 'red' }", "", "options.chaos.colour: unknown option"},
        BadCase{"'pod-kill'", "", "options.chaos: expected a list of actions"},
        BadCase{"", "{ { kind = 'resilience' } }",
                "options.expect[1].kind: unknown validation 'resilience'"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x' } }",
                "{ { kind = 'recovery', after = 'pod-terminate', within = '5s' } }",
                "options.expect[1].after: no chaos action 'pod-terminate' (actions: pod-kill#1)"},
        BadCase{"", "{ { kind = 'recovery', after = 'pod-kill', within = '5s' } }",
                "options.expect[1].after: no chaos action 'pod-kill' (options.chaos has no "
                "actions)"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x' }, "
                "{ at = '2s', action = 'pod-kill', target = 'y' } }",
                "{ { kind = 'recovery', after = 'pod-kill', within = '5s' } }",
                "'pod-kill' is ambiguous; name one of: pod-kill#1, pod-kill#2"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x' } }",
                "{ { kind = 'recovery', after = 'pod-kill' } }",
                "options.expect[1].within: missing"},
        BadCase{"{ { at = '1s', action = 'scale', target = 'x', replicas = 2 } }",
                "{ { kind = 'self-healing', after = 'scale' } }",
                "options.expect[1].after: self-healing judges an action on pods"},
        BadCase{"{ { at = '1s', action = 'dependency-down', target = 'redis' } }",
                "{ { kind = 'self-healing', after = 'dependency-down', target = 'cart' } }",
                "options.expect[1].target: only with restart = false"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x' } }",
                "{ { kind = 'circuit-breaker', during = 'pod-kill', caller = 'a', "
                "dependency = 'b' } }",
                "circuit-breaker judges a fault that lasts"},
        BadCase{"{ { at = '1s', action = 'fault', target = 'x', hang = true } }",
                "{ { kind = 'circuit-breaker', during = 'fault' } }",
                "options.expect[1].caller: missing"},
        BadCase{"", "{ { kind = 'availability' } }", "availability needs min"},
        BadCase{"", "{ { kind = 'availability', min = 1.5 } }",
                "options.expect[1].min: expected a number in [0, 1]"},
        BadCase{"", "{ { kind = 'availability', min = 0.9, phase = 'later' } }",
                "options.expect[1].phase: expected \"baseline\" or \"run\""},
        BadCase{"", "{ { kind = 'availability', min = 0.9, within = '5s' } }",
                "options.expect[1].within: unknown option (not a key of a availability check"},
        BadCase{"", "{ { kind = 'availability', min = 0.9, slo = { max_error_rate = 3 } } }",
                "options.expect[1].slo.max_error_rate: expected a number in [0, 1]"},
        BadCase{"", "{ { kind = 'autoscaling', scale_up_within = '1s' } }",
                "options.expect[1].target: missing"},
        BadCase{"", "{ 'availability' }", "options.expect[1]: expected a validation"},
        BadCase{"{ { at = '1s', action = 'scale', target = 'x', replicas = 1e12 } }", "",
                "options.chaos[1].replicas: expected a whole number in [0, 100000], got 1e+12"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x', count = 3e9 } }", "",
                "options.chaos[1].count: expected a whole number in [1, 100000]"},
        BadCase{"{ max_pods = 2^40, { at = '1s', action = 'pod-kill', target = 'x' } }", "",
                "options.chaos.max_pods: expected a whole number in [1, 100000]"},
        BadCase{"{ [2] = { at = '1s', action = 'pod-kill', target = 'x' } }", "",
                "options.chaos[2]: not a position in the list"},
        BadCase{"{ { at = '1s', action = 'pod-kill', target = 'x' }, [1.5] = {} }", "",
                "options.chaos[1.5]: not a position in the list"}));

}  // namespace
}  // namespace stampede
