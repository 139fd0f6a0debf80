// The script-side API besides HTTP (docs/scripting.md): the vu table, custom metrics with
// their summary.json shapes and thresholds, and the json module.
#include <gtest/gtest.h>

#include <string>

#include "tests/engine/engine_fixture.h"

namespace stampede::engine_test {
namespace {

// 3 VUs x 4 iterations: vu.iteration counts per VU, state kept on vu survives between
// iterations, vu.scenario names the scenario, and vu.iteration_in_scenario is unique run-wide
// (each one requests its own path, so the server sees 12 distinct paths once each; for
// per-vu-iterations the docs promise uniqueness only, not a dense 0..11).
TEST(engine_script_api, VuTable) {
  TestServer server;
  ASSERT_TRUE(server.ok());
  TempDir dir;
  const auto run = run_script(dir, with_base(server, R"(
options = { scenarios = { shop = { executor = "per-vu-iterations", vus = 3, iterations = 4 } } }
function default(vu)
  vu.count = (vu.count or 0) + 1
  check(vu, {
    ["state survives"] = vu.count == vu.iteration + 1,
    ["scenario"] = vu.scenario == "shop",
    ["id"] = vu.id >= 1,
  })
  http.get(BASE .. "/i" .. vu.iteration_in_scenario)
end
)"));
  ASSERT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "checks", "passes"), 36) << failed_checks(summary);
  auto stats = server.stats();
  ASSERT_EQ(stats["by_path"].size(), 12u) << stats.dump();
  for (const auto& [path, count] : stats["by_path"].items()) EXPECT_EQ(count, 1) << path;
}

// One VU, 4 iterations i = 0..3: known samples give exact summary values and thresholds.
TEST(engine_script_api, CustomMetrics) {
  TempDir dir;
  const auto run = run_script(dir, R"(
local orders = metrics.counter("orders_placed")
local cart = metrics.gauge("cart_items")
local ok = metrics.rate("payment_ok")
local lat = metrics.trend("checkout_ms", true)
options = { iterations = 4, thresholds = {
  orders_placed = { "count==8" },
  ["orders_placed{currency:EUR}"] = { "count==4" },
  payment_ok = { "rate==0.75" },
  checkout_ms = { "max<41", "min>9" },
  cart_items = { "value==30" },
} }
function default(vu)
  local i = vu.iteration_in_scenario
  orders:add(1, { currency = "EUR" })
  orders:add(1, { currency = "USD" })
  cart:add(i * 10)
  ok:add(i ~= 0)
  lat:add((i + 1) * 10)
end
)");
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "orders_placed", "count"), 8);
  EXPECT_EQ(metric_field(summary, "orders_placed{currency:EUR}", "count"), 4);
  EXPECT_EQ(metric_field(summary, "payment_ok", "passes"), 3);
  EXPECT_EQ(metric_field(summary, "payment_ok", "fails"), 1);
  EXPECT_EQ(metric_field(summary, "payment_ok", "value"), 0.75);
  EXPECT_EQ(metric_field(summary, "cart_items", "value"), 30);
  EXPECT_EQ(metric_field(summary, "cart_items", "min"), 0);
  EXPECT_EQ(metric_field(summary, "cart_items", "max"), 30);
  // HDR keeps 3 significant digits: within 0.1 %.
  EXPECT_NEAR(metric_field(summary, "checkout_ms", "min"), 10, 0.01);
  EXPECT_NEAR(metric_field(summary, "checkout_ms", "max"), 40, 0.04);
  EXPECT_NEAR(metric_field(summary, "checkout_ms", "avg"), 25, 0.025);
}

TEST(engine_script_api, JsonModule) {
  TempDir dir;
  const auto run = run_script(dir, R"(
function default(vu)
  local decoded = json.decode('{"n": 3, "f": 1.5, "list": [1, 2], "none": null}')
  check(nil, {
    ["sorted"] = json.encode({ b = 1, a = { c = true } }, { sort_keys = true })
                 == '{"a":{"c":true},"b":1}',
    ["empty table is object"] = json.encode({}) == "{}",
    ["empty_array"] = json.encode(json.empty_array) == "[]",
    ["integers stay integers"] = json.encode({ 3 }) == "[3]" and math.type(decoded.n) == "integer",
    ["floats"] = decoded.f == 1.5,
    ["list"] = #decoded.list == 2 and decoded.list[2] == 2,
    ["null"] = decoded.none == json.null,
    ["round trip"] = json.decode(json.encode({ s = "a\"b\n" })).s == "a\"b\n",
    ["invalid raises"] = not pcall(json.decode, "{oops"),
  })
end
)");
  EXPECT_EQ(run.exit_code, 0) << describe(run);
  auto summary = load_summary(dir);
  EXPECT_EQ(metric_field(summary, "checks", "fails"), 0) << failed_checks(summary);
  EXPECT_EQ(metric_field(summary, "checks", "passes"), 9) << failed_checks(summary);
}

}  // namespace
}  // namespace stampede::engine_test
