// Bad input must fail fast with the documented exit code (104 invalid flags/options, 107
// script error) and a message that names the place: the flag, the options. path, or
// file:line. A Lua error inside an iteration is not fatal: it is counted and the run goes on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

constexpr int kInvalid = 104;
constexpr int kScriptError = 107;

// Runs `script` with `extra` flags and expects `exit_code` and every `needles` in stderr.
void expect_rejected(const std::string& script, int exit_code,
                     const std::vector<std::string>& needles,
                     const std::vector<std::string>& extra = {}) {
  TempDir dir;
  const auto run = run_script(dir, script, extra, std::chrono::seconds(15));
  EXPECT_EQ(run.exit_code, exit_code) << describe(run);
  for (const auto& needle : needles) {
    EXPECT_NE(run.err.find(needle), std::string::npos) << "stderr lacks '" << needle << "'\n"
                                                       << describe(run);
  }
}

constexpr const char* kValid = "options = { iterations = 1 }\nfunction default(vu) end\n";

TEST(engine_bad_input, MissingScript) {
  TempDir dir;
  const std::string missing = (dir.path() / "no_such_script.lua").string();
  const auto run = run_stampede({"run", "--quiet", missing}, dir);
  EXPECT_EQ(run.exit_code, kInvalid) << describe(run);
  EXPECT_NE(run.err.find("no_such_script.lua"), std::string::npos) << describe(run);
}

TEST(engine_bad_input, LuaSyntaxErrorNamesFileAndLine) {
  expect_rejected("options = { iterations = 1 }\nfunction default(vu)\n  local x = = 1\nend\n",
                  kScriptError, {"script.lua:3:"});
}

TEST(engine_bad_input, RuntimeErrorInInitCode) {
  expect_rejected("local t = nil\nlocal y = t.field\nfunction default(vu) end\n", kScriptError,
                  {"script.lua:2:"});
}

// Each of the 4 iterations raises the same error: exit 0, the summary lists it with count 4,
// and stderr prints the first occurrence only.
TEST(engine_bad_input, RuntimeErrorInIterationIsCountedAndRunContinues) {
  TempDir dir;
  const auto run = run_script(dir, R"(
options = { iterations = 4 }
function default(vu) error("iteration broke") end
)");
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "iterations", "count"), 4);
  const auto& errors = summary["stampede"]["script_errors"];
  ASSERT_EQ(errors.size(), 1u) << summary["stampede"].dump();
  // The message starts with the script's path as given on the command line.
  const std::string message = "script.lua:3: iteration broke";
  const std::string listed = errors[0].value("message", "");
  EXPECT_TRUE(listed.size() >= message.size() &&
              listed.compare(listed.size() - message.size(), message.size(), message) == 0)
      << listed;
  EXPECT_EQ(errors[0]["count"], 4);
  const size_t first = run.err.find(message);
  ASSERT_NE(first, std::string::npos) << describe(run);
  EXPECT_EQ(run.err.find(message, first + 1), std::string::npos) << "printed twice\n"
                                                                 << describe(run);
}

TEST(engine_bad_input, UnknownOptionKey) {
  expect_rejected("options = { iterations = 1, bogus_key = 1 }\nfunction default(vu) end\n",
                  kInvalid, {"options.bogus_key"});
}

TEST(engine_bad_input, UnknownExecutor) {
  expect_rejected(
      "options = { scenarios = { shop = { executor = \"no-such-executor\" } } }\n"
      "function default(vu) end\n",
      kInvalid, {"options.scenarios.shop.executor", "no-such-executor"});
}

TEST(engine_bad_input, MalformedDuration) {
  expect_rejected("options = { vus = 1, duration = \"3x\" }\nfunction default(vu) end\n", kInvalid,
                  {"options.duration", "3x"});
}

TEST(engine_bad_input, InvalidThresholdExpression) {
  expect_rejected(
      "options = { iterations = 1, thresholds = { http_reqs = { \"count>>1\" } } }\n"
      "function default(vu) end\n",
      kInvalid, {"options.thresholds", "count>>1"});
}

TEST(engine_bad_input, ThresholdOnUnknownMetric) {
  expect_rejected(
      "options = { iterations = 1, thresholds = { no_such_metric = { \"count>1\" } } }\n"
      "function default(vu) end\n",
      kInvalid, {"options.thresholds", "no_such_metric"});
}

// Metric names: letters, digits and _, not starting with a digit; creating one in init code
// with a bad name raises there, so the script fails to load.
TEST(engine_bad_input, InvalidMetricName) {
  expect_rejected("local c = metrics.counter(\"1st-bad\")\nfunction default(vu) end\n",
                  kScriptError, {"1st-bad"});
}

// setup() raising aborts the run before any iteration: 107, and no iteration request arrives.
TEST(engine_bad_input, SetupErrorAbortsTheRun) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { iterations = 3 }
function setup() error("setup broke") end
function default(vu, data) http.get(BASE .. "/iteration") end
)"));
  EXPECT_EQ(run.exit_code, kScriptError) << describe(run);
  EXPECT_NE(run.err.find("setup broke"), std::string::npos) << describe(run);
  EXPECT_EQ(server.stats()["requests"], 0);
}

TEST(engine_bad_input, NonNumericVusFlag) {
  expect_rejected(kValid, kInvalid, {"--vus"}, {"--vus", "abc"});
}

TEST(engine_bad_input, MalformedDurationFlag) {
  expect_rejected(kValid, kInvalid, {"--duration", "3x"}, {"--duration", "3x"});
}

TEST(engine_bad_input, RateFlagOutOfRangeSaysTheRange) {
  for (const char* rate : {"0", "-3", "1e30", "fast"}) {
    expect_rejected(kValid, kInvalid, {"--rate", "more than 0 and less than 1e9"},
                    {"--rate", rate});
  }
}

TEST(engine_bad_input, EnvFlagWithoutEquals) {
  expect_rejected(kValid, kInvalid, {"-e", "NOEQUALS"}, {"-e", "NOEQUALS"});
}

}  // namespace
}  // namespace stampede::engine_test
