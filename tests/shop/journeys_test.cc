// Every journey in scenarios/shop/ run by the real stampede binary against a whole shop of real
// processes, then `shop audit` over the shop's data: nothing charged without an order, every
// cancel refunded.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/engine/engine_fixture.h"
#include "tests/shop/shop_cluster.h"

namespace shop_test {
namespace {

using stampede::engine_test::describe;
using stampede::engine_test::failed_checks;
using stampede::engine_test::load_summary;
using stampede::engine_test::metric_field;
using stampede::engine_test::run_stampede;
using stampede::engine_test::RunResult;
using stampede::engine_test::TempDir;
using namespace std::chrono_literals;

std::string scenario(const std::string& name) {
  return std::string(STAMPEDE_SOURCE_DIR) + "/scenarios/shop/" + name;
}

RunResult run_journey(const ShopCluster& shop, const TempDir& dir, const std::string& script,
                      const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {
      "run", "--quiet",     "--out", dir.out_dir(), "-e", "BASE=" + shop.frontend_url(),
      "-e",  "THINK_MAX=0", "-e",    "VUS=4",       "-e", "DURATION=3s",
      "-e",  "RAMP=1s"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(scenario(script));
  return run_stampede(args, dir, 90s);
}

nlohmann::json audit_json(const ShopCluster& shop, int& exit_code) {
  auto [code, out] = run_shop({"audit", shop.data_dir().string(), "--json"});
  exit_code = code;
  return nlohmann::json::parse(out, nullptr, false);
}

class JourneyTest : public ::testing::TestWithParam<const char*> {};

TEST_P(JourneyTest, RunsCleanAndLeavesACleanAudit) {
  std::string error;
  auto shop = ShopCluster::start({}, error);
  ASSERT_TRUE(shop) << error;
  TempDir dir;
  RunResult r = run_journey(*shop, dir, GetParam());
  auto summary = load_summary(dir);
  EXPECT_EQ(r.exit_code, 0) << describe(r) << failed_checks(summary) << shop->log_tail("frontend")
                            << shop->log_tail("checkout");
  EXPECT_GT(metric_field(summary, "http_reqs", "count"), 10);
  EXPECT_EQ(failed_checks(summary), "");
  int code = -1;
  auto audit = audit_json(*shop, code);
  EXPECT_EQ(code, 0) << audit.dump(2);
}

INSTANTIATE_TEST_SUITE_P(Shop, JourneyTest,
                         ::testing::Values("browse.lua", "add_to_cart.lua", "checkout.lua",
                                           "cancel.lua", "mix.lua", "loadgen.lua"),
                         [](const auto& info) {
                           std::string n = info.param;
                           return n.substr(0, n.find('.'));
                         });

TEST(ShopJourneys, CheckoutAndCancelLeaveTheExpectedRecords) {
  std::string error;
  auto shop = ShopCluster::start({}, error);
  ASSERT_TRUE(shop) << error;
  TempDir dir;
  RunResult r = run_journey(*shop, dir, "cancel.lua");
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  auto summary = load_summary(dir);
  double cancelled = metric_field(summary, "orders_cancelled", "count");
  ASSERT_GT(cancelled, 0);
  int code = -1;
  auto audit = audit_json(*shop, code);
  ASSERT_EQ(code, 0) << audit.dump(2);
  // Every order the journey placed was cancelled and refunded, one refund per order.
  EXPECT_EQ(audit["counts"]["orders_by_status"].value("CANCELLED", 0), static_cast<int>(cancelled))
      << audit.dump(2);
  EXPECT_EQ(audit["counts"].value("refunds", -1), static_cast<int>(cancelled)) << audit.dump(2);
  std::string orders = shop->metrics("orders");
  EXPECT_EQ(metric_value(orders, "shop_orders_cancelled_total"), cancelled);
}

TEST(ShopJourneys, RedisBackedCartKeepsCartsInRedis) {
  std::string error;
  ClusterOptions options;
  options.redis = true;
  auto shop = ShopCluster::start(options, error);
  ASSERT_TRUE(shop) << error;
  TempDir dir;
  RunResult r = run_journey(*shop, dir, "add_to_cart.lua");
  EXPECT_EQ(r.exit_code, 0) << describe(r) << failed_checks(load_summary(dir));
  // The carts are in Redis, one hash per session.
  FILE* f = ::popen(
      ("redis-cli -p " + std::to_string(shop->redis_port()) + " --scan --pattern 'cart:*'").c_str(),
      "r");
  ASSERT_NE(f, nullptr);
  int keys = 0;
  char line[256];
  while (std::fgets(line, sizeof line, f)) ++keys;
  ::pclose(f);
  EXPECT_GE(keys, 1);
  // The cart's readiness follows its store.
  const auto& cart = shop->service("cart");
  EXPECT_EQ(http_call(cart.metrics_port, "GET", "/readyz").status, 200);
  FILE* down = ::popen(
      ("redis-cli -p " + std::to_string(shop->redis_port()) + " shutdown nosave").c_str(), "r");
  if (down) ::pclose(down);
  EXPECT_TRUE(eventually(
      [&] { return http_call(cart.metrics_port, "GET", "/readyz").status == 503; }, 10s));
  EXPECT_TRUE(eventually(
      [&] {
        auto ready = http_call(shop->service("frontend").port, "GET", "/readyz");
        return ready.status == 503;
      },
      10s));
}

}  // namespace
}  // namespace shop_test
