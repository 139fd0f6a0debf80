#include "engine/lua/options_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "engine/lua/lua_state.h"

namespace stampede {
namespace {

// Runs `code` (which sets `options` and defines functions) and reads the plan.
Result<RunPlan> plan_of(const std::string& code, CliOverrides cli = {}) {
  LuaStatePtr state(luaL_newstate());
  luaL_openlibs(state.get());
  std::string full = "function default() end\n" + code;
  EXPECT_EQ(luaL_dostring(state.get(), full.c_str()), LUA_OK) << lua_tostring(state.get(), -1);
  MetricRegistry registry;
  return read_run_plan(state.get(), cli, registry);
}

std::string error_of(const std::string& code, CliOverrides cli = {}) {
  auto plan = plan_of(code, cli);
  return plan.ok() ? "(no error)" : plan.error().message();
}

TEST(OptionsReaderTest, NoOptionsIsOneIterationOfDefault) {
  auto plan = plan_of("");
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value().scenarios.size(), 1u);
  const ScenarioPlan& s = plan.value().scenarios[0];
  EXPECT_EQ(s.executor, ExecutorKind::kSharedIterations);
  EXPECT_EQ(s.vus, 1);
  EXPECT_EQ(s.iterations, 1);
  EXPECT_EQ(s.exec, "default");
}

TEST(OptionsReaderTest, Shortcuts) {
  auto cvus = plan_of("options = { vus = 5, duration = '30s' }");
  ASSERT_TRUE(cvus.ok());
  EXPECT_EQ(cvus.value().scenarios[0].executor, ExecutorKind::kConstantVus);
  EXPECT_EQ(cvus.value().scenarios[0].duration, 30 * kNanosPerSecond);
  auto ramp = plan_of("options = { stages = { {duration = 10, target = 4} } }");
  ASSERT_TRUE(ramp.ok());
  EXPECT_EQ(ramp.value().scenarios[0].executor, ExecutorKind::kRampingVus);
  auto iters = plan_of("options = { vus = 3, iterations = 12 }");
  ASSERT_TRUE(iters.ok());
  EXPECT_EQ(iters.value().scenarios[0].executor, ExecutorKind::kSharedIterations);
  EXPECT_EQ(iters.value().scenarios[0].iterations, 12);
}

TEST(OptionsReaderTest, CliFlagsReplaceScenarios) {
  CliOverrides cli;
  cli.rate = 200;
  cli.duration = 5 * kNanosPerSecond;
  auto plan = plan_of(
      "function other() end\n"
      "options = { scenarios = { a = { executor = 'constant-vus', exec = 'other', vus = 2, "
      "duration = '1m' } } }",
      cli);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value().scenarios.size(), 1u);
  const ScenarioPlan& s = plan.value().scenarios[0];
  EXPECT_EQ(s.executor, ExecutorKind::kConstantArrivalRate);
  EXPECT_EQ(s.exec, "default");
  EXPECT_DOUBLE_EQ(s.rate, 200);
  EXPECT_EQ(s.pre_allocated_vus, 200);
  EXPECT_EQ(s.max_vus, 2000);
}

TEST(OptionsReaderTest, ScenariosWithEveryExecutor) {
  auto plan = plan_of(R"(
    function shop() end
    options = { scenarios = {
      a = { executor = 'constant-vus', vus = 2, duration = '1s', tags = { team = 'x' } },
      b = { executor = 'ramping-vus', start_vus = 0, stages = { {duration='1s', target=3} } },
      c = { executor = 'per-vu-iterations', vus = 2, iterations = 3 },
      d = { executor = 'shared-iterations', vus = 2, iterations = 10, exec = 'shop' },
      e = { executor = 'constant-arrival-rate', rate = 10, duration = '2s', pre_allocated_vus = 2 },
      f = { executor = 'ramping-arrival-rate', start_rate = 1, time_unit = '1m',
            stages = { {duration='1s', target=5} }, pre_allocated_vus = 1, max_vus = 4,
            start_time = '500ms', graceful_stop = '2s' },
    } })");
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  const auto& s = plan.value().scenarios;
  ASSERT_EQ(s.size(), 6u);  // sorted by name
  EXPECT_EQ(s[0].tags, (std::vector<Tag>{{"team", "x"}}));
  EXPECT_EQ(s[1].peak_vus(), 3);
  EXPECT_EQ(s[3].exec, "shop");
  EXPECT_EQ(s[4].max_vus, 2);  // defaults to pre_allocated_vus
  EXPECT_EQ(s[5].time_unit, 60 * kNanosPerSecond);
  EXPECT_EQ(s[5].start_time, 500 * kNanosPerMilli);
  EXPECT_EQ(s[5].graceful_stop, 2 * kNanosPerSecond);
}

TEST(OptionsReaderTest, ErrorsNameTheOptionPath) {
  EXPECT_EQ(error_of("options = { vu = 3 }"),
            "options.vu: unknown option (see docs/scripting.md for the options)");
  EXPECT_NE(
      error_of("options = { duration = '3x' }").find("options.duration: malformed duration '3x'"),
      std::string::npos);
  EXPECT_NE(error_of("options = { scenarios = { s = { executor = 'fast' } } }")
                .find("options.scenarios.s.executor: unknown executor 'fast'"),
            std::string::npos);
  EXPECT_NE(error_of("options = { scenarios = { s = { executor = 'constant-vus', vus = 1 } } }")
                .find("options.scenarios.s.duration: missing"),
            std::string::npos);
  EXPECT_NE(error_of("options = { scenarios = { s = { executor = 'constant-vus', duration = 1, "
                     "rate = 5 } } }")
                .find("options.scenarios.s.rate: unknown option (not an option of constant-vus)"),
            std::string::npos);
  EXPECT_NE(error_of("options = { scenarios = { s = { executor = 'constant-arrival-rate', "
                     "rate = 1, duration = 1 } } }")
                .find("pre_allocated_vus: missing"),
            std::string::npos);
  EXPECT_NE(error_of("options = { vus = 2.5 }").find("options.vus: expected a whole number"),
            std::string::npos);
  EXPECT_NE(error_of("options = { scenarios = { s = { executor = 'shared-iterations', vus = 5, "
                     "iterations = 2 } } }")
                .find("iterations (2) >= vus (5)"),
            std::string::npos);
  EXPECT_NE(error_of("options = { scenarios = { s = { executor = 'constant-vus', duration = 1, "
                     "exec = 'missing' } } }")
                .find("no global function 'missing'"),
            std::string::npos);
  EXPECT_NE(error_of("options = { vus = 1, duration = 1, scenarios = { s = { executor = "
                     "'constant-vus', duration = 1 } } }")
                .find("either scenarios or"),
            std::string::npos);
  EXPECT_EQ(error_of("options = 5"), "options: expected a table, got a number");
}

TEST(OptionsReaderTest, Thresholds) {
  auto plan = plan_of(R"(options = { thresholds = {
      http_req_duration = { 'p(95)<500', { threshold = 'avg<100', abort_on_fail = true,
                                           delay_abort_eval = '10s' } },
      ['http_req_duration{name:home}'] = 'p(99)<800',
      http_req_failed = { 'rate<0.01' },
    } })");
  ASSERT_TRUE(plan.ok()) << plan.error().message();
  int rules = 0;
  bool saw_abort = false;
  for (const ThresholdPlan& t : plan.value().thresholds) {
    for (const ThresholdRule& r : t.rules) {
      ++rules;
      if (r.abort_on_fail) {
        saw_abort = true;
        EXPECT_EQ(r.delay_abort_eval, 10 * kNanosPerSecond);
      }
    }
  }
  EXPECT_EQ(rules, 4);
  // Sorted by selector, whatever order Lua iterated the table in (it differs between processes).
  std::vector<std::string> order;
  for (const ThresholdPlan& t : plan.value().thresholds) order.push_back(t.selector.canonical());
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  EXPECT_EQ(order.size(), 3u);
  EXPECT_TRUE(saw_abort);
  EXPECT_NE(error_of("options = { thresholds = { http_req_duration = { 'p99<5' } } }")
                .find("options.thresholds[\"http_req_duration\"][1]: invalid threshold"),
            std::string::npos);
  EXPECT_NE(error_of("options = { thresholds = { nope = { 'count>1' } } }")
                .find("no metric named 'nope'"),
            std::string::npos);
  EXPECT_NE(error_of("options = { thresholds = { http_reqs = { 'p(95)<5' } } }")
                .find("does not apply to counter metric http_reqs"),
            std::string::npos);
}

}  // namespace
}  // namespace stampede
