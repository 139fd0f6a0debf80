// The shop under faults: each fault knob through the admin endpoint, the payment circuit breaker
// in checkout, a checkout killed mid-order, graceful shutdown, and start-up configuration errors.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "tests/shop/shop_cluster.h"

namespace shop_test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kCheckoutForm =
    "email=someone%40example.com&street_address=1600+Amphitheatre+Parkway&zip_code=94043&"
    "city=Mountain+View&state=CA&country=United+States&"
    "credit_card_number=4432-8015-6152-0454&credit_card_expiration_month=1&"
    "credit_card_expiration_year=2039&credit_card_cvv=672";
const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};

std::unique_ptr<ShopCluster> start(const ClusterOptions& options = {}) {
  std::string error;
  auto shop = ShopCluster::start(options, error);
  EXPECT_TRUE(shop) << error;
  return shop;
}

// A session with one item in its cart; returns the Cookie header to use.
std::string session_with_item(ShopCluster& shop) {
  std::string cookie = "shop_session-id=" + std::to_string(::getpid()) + "-" +
                       std::to_string(Clock::now().time_since_epoch().count());
  auto r =
      http_call(shop.service("frontend").port, "POST", "/cart", "product_id=OLJCESPC7Z&quantity=2",
                {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}});
  EXPECT_EQ(r.status, 302) << r.body;
  return cookie;
}

HttpReply checkout(ShopCluster& shop, const std::string& cookie,
                   std::chrono::milliseconds timeout = 10s) {
  auto headers = kForm;
  headers["Cookie"] = cookie;
  return http_call(shop.service("frontend").port, "POST", "/cart/checkout", kCheckoutForm, headers,
                   timeout);
}

double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> f; ++i) {
    if (i == 14) utime = std::stol(f);
    if (i == 15) {
      stime = std::stol(f);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

TEST(ShopFaults, AdminEndpointNeedsTheToken) {
  auto shop = start();
  ASSERT_TRUE(shop);
  uint16_t admin = shop->service("cart").admin_port;
  EXPECT_EQ(http_call(admin, "GET", "/admin/faults").status, 401);
  EXPECT_EQ(http_call(admin, "GET", "/admin/faults", "", {{"Authorization", "Bearer nope"}}).status,
            401);
  EXPECT_EQ(shop->set_faults("cart", R"({"latency": 5})"), 400);
  EXPECT_EQ(shop->set_faults("cart", R"({"latency_ms": 5})"), 200);
}

TEST(ShopFaults, LatencyOnTheCatalogSlowsTheHomePage) {
  auto shop = start();
  ASSERT_TRUE(shop);
  uint16_t fe = shop->service("frontend").port;
  ASSERT_EQ(http_call(fe, "GET", "/").status, 200);
  ASSERT_EQ(shop->set_faults("productcatalog", R"({"latency_ms": 400})"), 200);
  auto t0 = Clock::now();
  EXPECT_EQ(http_call(fe, "GET", "/").status, 200);
  EXPECT_GE(Clock::now() - t0, 400ms);
  ASSERT_EQ(shop->clear_faults("productcatalog"), 200);
}

TEST(ShopFaults, ErrorRateOnARequiredBackendFailsThePage) {
  auto shop = start();
  ASSERT_TRUE(shop);
  uint16_t fe = shop->service("frontend").port;
  ASSERT_EQ(shop->set_faults("currency", R"({"error_rate": 1})"), 200);
  EXPECT_EQ(http_call(fe, "GET", "/").status, 500);
  ASSERT_EQ(shop->clear_faults("currency"), 200);
  // The breaker may have opened; it lets a trial call through within its open period.
  EXPECT_TRUE(eventually([&] { return http_call(fe, "GET", "/").status == 200; }, 15s));
}

TEST(ShopFaults, OptionalBackendFailuresDegradeThePage) {
  auto shop = start();
  ASSERT_TRUE(shop);
  uint16_t fe = shop->service("frontend").port;
  ASSERT_EQ(shop->set_faults("ad", R"({"error_rate": 1})"), 200);
  ASSERT_EQ(shop->set_faults("recommendation", R"({"hang": true})"), 200);
  auto r = http_call(fe, "GET", "/product/OLJCESPC7Z", "", {}, 15s);
  EXPECT_EQ(r.status, 200);
  std::string fe_metrics = http_call(fe, "GET", "/metrics").body;
  EXPECT_GE(metric_value(fe_metrics, "shop_degraded_responses_total", "dependency=\"ad\""), 1);
}

TEST(ShopFaults, HangHoldsRequestsAndLivenessUntilCleared) {
  auto shop = start();
  ASSERT_TRUE(shop);
  uint16_t fe = shop->service("frontend").port;
  ASSERT_EQ(shop->set_faults("frontend", R"({"hang": true})"), 200);
  EXPECT_EQ(http_call(fe, "GET", "/", "", {}, 500ms).status, 0);
  EXPECT_EQ(http_call(fe, "GET", "/_healthz", "", {}, 500ms).status, 0);
  ASSERT_EQ(shop->clear_faults("frontend"), 200);
  EXPECT_EQ(http_call(fe, "GET", "/_healthz").status, 200);
  // A gRPC service hangs its health checks too.
  const auto& cart = shop->service("cart");
  ASSERT_EQ(shop->set_faults("cart", R"({"hang": true})"), 200);
  EXPECT_EQ(http_call(cart.metrics_port, "GET", "/_healthz", "", {}, 500ms).status, 0);
  ASSERT_EQ(shop->clear_faults("cart"), 200);
}

TEST(ShopFaults, UnhealthyFlipsReadinessButServes) {
  auto shop = start();
  ASSERT_TRUE(shop);
  const auto& cart = shop->service("cart");
  uint16_t fe = shop->service("frontend").port;
  EXPECT_TRUE(eventually([&] { return http_call(fe, "GET", "/readyz").status == 200; }, 10s));
  ASSERT_EQ(shop->set_faults("cart", R"({"unhealthy": true})"), 200);
  EXPECT_EQ(http_call(cart.metrics_port, "GET", "/readyz").status, 503);
  EXPECT_TRUE(eventually([&] { return http_call(fe, "GET", "/readyz").status == 503; }, 10s));
  EXPECT_EQ(http_call(fe, "GET", "/cart").status, 200);  // still served
  ASSERT_EQ(shop->clear_faults("cart"), 200);
  EXPECT_TRUE(eventually([&] { return http_call(fe, "GET", "/readyz").status == 200; }, 10s));
}

TEST(ShopFaults, CpuBurnSpendsCpuPerRequest) {
  auto shop = start();
  ASSERT_TRUE(shop);
  uint16_t fe = shop->service("frontend").port;
  pid_t catalog = shop->service("productcatalog").pid;
  ASSERT_EQ(shop->set_faults("productcatalog", R"({"cpu_burn_ms": 50})"), 200);
  double before = cpu_seconds(catalog);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(http_call(fe, "GET", "/product/OLJCESPC7Z").status, 200);
  // Each product page asks the catalog at least once: 10 x 50 ms of CPU at the least.
  EXPECT_GE(cpu_seconds(catalog) - before, 0.45);
}

TEST(ShopFaults, CrashExitsWithItsCodeAndTheShopCarriesOn) {
  auto shop = start();
  ASSERT_TRUE(shop);
  ASSERT_EQ(shop->set_faults("email", R"({"crash": true})"), 200);
  std::string cookie = session_with_item(*shop);
  // The confirmation email is best effort: the order is placed even though email dies.
  EXPECT_EQ(checkout(*shop, cookie).status, 200);
  EXPECT_EQ(shop->wait_exit("email", 10s), 70);
  int code = -1;
  std::tie(code, std::ignore) = run_shop({"audit", shop->data_dir().string()});
  EXPECT_EQ(code, 0);
}

TEST(ShopBreaker, PaymentFailuresOpenTheBreakerAndRecoveryClosesIt) {
  ClusterOptions options;
  options.env["checkout"] = {{"PAYMENT_BREAKER_FAILURES", "3"},
                             {"PAYMENT_BREAKER_OPEN_MS", "1500"},
                             {"PAYMENT_RETRIES", "0"}};
  auto shop = start(options);
  ASSERT_TRUE(shop);
  ASSERT_EQ(shop->set_faults("payment", R"({"error_rate": 1})"), 200);
  for (int i = 0; i < 3; ++i) {
    std::string cookie = session_with_item(*shop);
    EXPECT_EQ(checkout(*shop, cookie).status, 500);
  }
  std::string m = shop->metrics("checkout");
  EXPECT_EQ(metric_value(m, "shop_circuit_breaker_state", "dependency=\"payment\""), 1) << m;
  double charges =
      metric_value(shop->metrics("payment"), "shop_grpc_requests_total", "method=\"Charge\"");
  // Open: checkout fails fast without calling payment.
  std::string cookie = session_with_item(*shop);
  auto t0 = Clock::now();
  EXPECT_EQ(checkout(*shop, cookie).status, 500);
  EXPECT_LT(Clock::now() - t0, 1s);
  double after =
      metric_value(shop->metrics("payment"), "shop_grpc_requests_total", "method=\"Charge\"");
  EXPECT_EQ(after, charges);
  // Payment recovers; after the open period a trial call closes the breaker.
  ASSERT_EQ(shop->clear_faults("payment"), 200);
  std::this_thread::sleep_for(1600ms);
  EXPECT_EQ(checkout(*shop, cookie).status, 200);
  m = shop->metrics("checkout");
  EXPECT_EQ(metric_value(m, "shop_circuit_breaker_state", "dependency=\"payment\""), 0) << m;
  EXPECT_NE(shop->log_tail("checkout", 50).find("circuit breaker payment: closed -> open"),
            std::string::npos);
  int code = -1;
  std::tie(code, std::ignore) = run_shop({"audit", shop->data_dir().string()});
  EXPECT_EQ(code, 0);
}

TEST(ShopKill, CheckoutKilledMidOrderLeavesNoMoneyBehind) {
  ClusterOptions options;
  options.env["orders"] = {{"ORDER_RECOVERY_AFTER_MS", "3000"},
                           {"ORDER_RECOVERY_INTERVAL_MS", "200"}};
  options.env["checkout"] = {{"SHIPPING_DEADLINE_MS", "60000"}};
  auto shop = start(options);
  ASSERT_TRUE(shop);
  // ShipOrder hangs (quotes still work), so checkout stops right after the charge.
  ASSERT_EQ(shop->set_faults("shipping", R"({"hang": true, "methods": ["ShipOrder"]})"), 200);
  std::string cookie = session_with_item(*shop);
  auto pending = std::async(std::launch::async, [&] { return checkout(*shop, cookie, 30s); });
  ASSERT_TRUE(eventually(
      [&] {
        return metric_value(shop->metrics("payment"), "shop_grpc_requests_total",
                            "method=\"Charge\",code=\"ok\"") >= 1;
      },
      10s));
  shop->signal("checkout", SIGKILL);
  EXPECT_EQ(shop->wait_exit("checkout", 5s), 128 + SIGKILL);
  EXPECT_NE(pending.get().status, 200);
  // Right now money is held for an order that was never placed, and the audit says so.
  auto [dirty, report] = run_shop({"audit", shop->data_dir().string()});
  EXPECT_EQ(dirty, 1) << report;
  EXPECT_NE(report.find("charge_for_unplaced_order"), std::string::npos) << report;
  // The order service's recovery refunds it once the order is old enough.
  ASSERT_EQ(shop->clear_faults("shipping"), 200);
  EXPECT_TRUE(eventually(
      [&] {
        return run_shop({"audit", shop->data_dir().string()}).first == 0;
      },
      20s))
      << run_shop({"audit", shop->data_dir().string()}).second << shop->log_tail("orders");
  // The restarted checkout serves again.
  std::string error;
  ASSERT_TRUE(shop->restart("checkout", error)) << error;
  EXPECT_EQ(checkout(*shop, session_with_item(*shop)).status, 200);
}

TEST(ShopShutdown, SigtermDrainsInFlightRequests) {
  ClusterOptions options;
  options.env["productcatalog"] = {{"SHUTDOWN_GRACE_MS", "5000"}};
  auto shop = start(options);
  ASSERT_TRUE(shop);
  ASSERT_EQ(shop->set_faults("productcatalog", R"({"latency_ms": 800})"), 200);
  uint16_t fe = shop->service("frontend").port;
  auto slow = std::async(std::launch::async, [&] {
    return http_call(fe, "GET", "/api/products/OLJCESPC7Z", "", {}, 10s);
  });
  std::this_thread::sleep_for(300ms);
  shop->signal("productcatalog", SIGTERM);
  EXPECT_EQ(slow.get().status, 200);
  EXPECT_EQ(shop->wait_exit("productcatalog", 10s), 0);
  EXPECT_NE(shop->log_tail("productcatalog").find("not serving"), std::string::npos);
}

TEST(ShopConfig, MissingServiceAddressFailsAtStart) {
  auto [code, out] = run_shop({"checkout"});
  // run_shop inherits the test's environment, which has no *_SERVICE_ADDR.
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("_SERVICE_ADDR: required but not set"), std::string::npos) << out;
  auto [bad, msg] = run_shop({"nosuchservice"});
  EXPECT_EQ(bad, 2);
  EXPECT_NE(msg.find("unknown command"), std::string::npos);
}

}  // namespace
}  // namespace shop_test

namespace shop_test {
namespace {

// What every service exposes at /metrics is valid Prometheus text, as promtool reads it.
TEST(ShopMetrics, EveryServiceExposesMetricsPromtoolAccepts) {
  auto shop = start();
  ASSERT_TRUE(shop);
  uint16_t fe = shop->service("frontend").port;
  // Some traffic first, so labelled families have children.
  ASSERT_EQ(checkout(*shop, session_with_item(*shop)).status, 200);
  for (const auto& name : ShopCluster::services()) {
    std::string text =
        name == "frontend" ? http_call(fe, "GET", "/metrics").body : shop->metrics(name);
    ASSERT_FALSE(text.empty()) << name;
    std::string path = (shop->data_dir() / (name + ".prom")).string();
    std::FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    std::string cmd = "promtool check metrics < '" + path + "' 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    int status = ::pclose(p);
    EXPECT_EQ(WEXITSTATUS(status), 0) << name << ": " << out;
  }
  std::string checkout_metrics = shop->metrics("checkout");
  EXPECT_EQ(metric_value(checkout_metrics, "shop_orders_placed_total"), 1);
  EXPECT_GT(metric_value(checkout_metrics, "shop_revenue_total", "currency=\"USD\""), 0);
}

}  // namespace
}  // namespace shop_test
