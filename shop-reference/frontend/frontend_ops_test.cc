// Probes, metrics, fault knobs, body limits and configuration of the frontend.
#include <gtest/gtest.h>

#include <map>

#include "shop-reference/common/grpc_host.h"
#include "shop-reference/frontend/frontend_harness.h"
#include "shop-reference/frontend/frontend_main.h"

namespace shop::testing {
namespace {

namespace http = boost::beast::http;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class FrontendOpsTest : public ::testing::Test {
 protected:
  FrontendHarness app_;
  Browser browser_{app_.port()};
};

TEST_F(FrontendOpsTest, HealthzIsOkAndSetsNoCookie) {
  auto r = browser_.get("/_healthz");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "ok");
  EXPECT_TRUE(set_cookies(r).empty());
}

TEST_F(FrontendOpsTest, ReadyWhenEveryRequiredBackendServes) {
  auto r = browser_.get("/readyz");
  EXPECT_EQ(r.result_int(), 200) << r.body();
}

TEST_F(FrontendOpsTest, NotReadyWhenARequiredBackendIsDown) {
  app_.shop.stop_cart();
  auto r = browser_.get("/readyz");
  EXPECT_EQ(r.result_int(), 503);
  EXPECT_EQ(r.body(), "not serving: cart\n");
}

TEST_F(FrontendOpsTest, NotReadyWhileShuttingDownOrUnhealthy) {
  FaultSpec unhealthy;
  unhealthy.unhealthy = true;
  app_.runtime.faults().set(unhealthy);
  EXPECT_EQ(browser_.get("/readyz").result_int(), 503);
  EXPECT_EQ(browser_.get("/").result_int(), 200);  // requests are still served
  app_.runtime.faults().set(FaultSpec{});
  app_.runtime.begin_shutdown();
  auto r = browser_.get("/readyz");
  EXPECT_EQ(r.result_int(), 503);
  EXPECT_EQ(r.body(), "shutting down\n");
}

TEST(FrontendReadinessCacheTest, ReusesAnAnswerWithinTheCacheTime) {
  FrontendHarness app([](FrontendConfig& c) { c.ready_cache = std::chrono::hours(1); });
  Browser browser(app.port());
  EXPECT_EQ(browser.get("/readyz").result_int(), 200);
  app.shop.stop_cart();
  EXPECT_EQ(browser.get("/readyz").result_int(), 200);  // cached
}

TEST_F(FrontendOpsTest, MetricsUseRoutePatterns) {
  ASSERT_EQ(browser_.get("/product/OLJCESPC7Z").result_int(), 200);
  ASSERT_EQ(browser_.get("/product/NOPE").result_int(), 404);
  ASSERT_EQ(browser_.get("/no/such/page").result_int(), 404);
  auto r = browser_.get("/metrics");
  ASSERT_EQ(r.result_int(), 200);
  EXPECT_TRUE(contains(std::string(r[http::field::content_type]), "text/plain"));
  const std::string& text = r.body();
  EXPECT_GE(metric_value(text, "shop_http_requests_total{route=\"/product/{id}\",code=\"200\"}"),
            1);
  EXPECT_GE(metric_value(text, "shop_http_requests_total{route=\"/product/{id}\",code=\"404\"}"),
            1);
  EXPECT_GE(metric_value(text, "shop_http_requests_total{route=\"unmatched\",code=\"404\"}"), 1);
  EXPECT_TRUE(contains(text, "shop_http_request_duration_seconds_bucket{route=\"/product/{id}\""));
  EXPECT_FALSE(contains(text, "OLJCESPC7Z"));
}

TEST_F(FrontendOpsTest, CheckoutOutcomesAreCounted) {
  auto before =
      metric_value(browser_.get("/metrics").body(), "shop_checkouts_total{outcome=\"invalid\"}");
  ASSERT_EQ(browser_.post_form("/cart/checkout", "email=x").result_int(), 422);
  auto after =
      metric_value(browser_.get("/metrics").body(), "shop_checkouts_total{outcome=\"invalid\"}");
  EXPECT_EQ(after, before + 1);
}

TEST_F(FrontendOpsTest, ErrorRateKnobAnswers503ExceptProbesAndMetrics) {
  FaultSpec spec;
  spec.error_rate = 1;
  app_.runtime.faults().set(spec);
  EXPECT_EQ(browser_.get("/").result_int(), 503);
  EXPECT_EQ(browser_.get("/api/products").result_int(), 503);
  EXPECT_EQ(browser_.post_form("/cart", "product_id=OLJCESPC7Z&quantity=1").result_int(), 503);
  EXPECT_EQ(browser_.get("/_healthz").result_int(), 200);
  EXPECT_EQ(browser_.get("/readyz").result_int(), 200);
  EXPECT_EQ(browser_.get("/metrics").result_int(), 200);
  app_.runtime.faults().set(FaultSpec{});
  EXPECT_EQ(browser_.get("/").result_int(), 200);
}

TEST_F(FrontendOpsTest, KnobsScopedToARoutePatternSpareTheOthers) {
  FaultSpec spec;
  spec.error_rate = 1;
  spec.methods = {"/product/{id}"};
  app_.runtime.faults().set(spec);
  EXPECT_EQ(browser_.get("/product/OLJCESPC7Z").result_int(), 503);
  EXPECT_EQ(browser_.get("/").result_int(), 200);
  spec.error_rate = 0;
  spec.hang = true;
  spec.methods = {"/readyz"};
  app_.runtime.faults().set(spec);
  EXPECT_EQ(browser_.get("/_healthz").result_int(), 200);
  EXPECT_EQ(browser_.get("/").result_int(), 200);
}

TEST_F(FrontendOpsTest, HangKnobHoldsProbesButNotMetrics) {
  FaultSpec spec;
  spec.hang = true;
  app_.runtime.faults().set(spec);
  EXPECT_EQ(browser_.get("/metrics").result_int(), 200);
  for (const char* target : {"/_healthz", "/readyz", "/"}) {
    stampede::http::testing::TestClient client(app_.port());
    client.send(stampede::http::testing::TestClient::make_request(http::verb::get, target));
    // The request is accepted and held: it stays in flight with no answer.
    EXPECT_TRUE(stampede::http::testing::wait_until([&] { return app_.server->in_flight() == 1; }))
        << target;
    EXPECT_EQ(client.available(), 0u) << target;
    client.close();
    EXPECT_TRUE(stampede::http::testing::wait_until([&] { return app_.server->in_flight() == 0; }))
        << target;
  }
}

TEST_F(FrontendOpsTest, HugeBodyIs413) {
  // The declared length is over the server's 1 MiB limit: refused before any body is sent.
  stampede::http::testing::TestClient client(app_.port());
  client.send_raw(
      "POST /cart HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 2000000\r\n\r\n");
  EXPECT_EQ(client.read().result_int(), 413);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_F(FrontendOpsTest, GarbageInputNeverBreaksTheServer) {
  for (const char* body : {"%", "&&&=", "=%G0", "product_id&quantity", "\xff\xfe"}) {
    auto r = browser_.post_form("/cart", body);
    EXPECT_TRUE(r.result_int() == 400 || r.result_int() == 422 || r.result_int() == 404)
        << body << " -> " << r.result_int();
  }
  auto r = browser_.get("/", {{"Cookie", "shop_session-id=\"\"; ;;=; shop_currency=\xff"}});
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(
      browser_.send_json(http::verb::post, "/api/checkout", std::string(100, '[')).result_int(),
      400);
  EXPECT_EQ(browser_.get("/_healthz").result_int(), 200);
}

std::function<std::optional<std::string>(std::string_view)> lookup(
    std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::map<std::string, std::string> required_env() {
  return {{"PRODUCT_CATALOG_SERVICE_ADDR", "127.0.0.1:1"},
          {"CURRENCY_SERVICE_ADDR", "127.0.0.1:2"},
          {"CART_SERVICE_ADDR", "127.0.0.1:3"},
          {"SHIPPING_SERVICE_ADDR", "127.0.0.1:4"},
          {"CHECKOUT_SERVICE_ADDR", "127.0.0.1:5"},
          {"ORDER_SERVICE_ADDR", "127.0.0.1:6"}};
}

TEST(FrontendConfigTest, ReadsAddressesAndPolicies) {
  auto vars = required_env();
  vars["AD_SERVICE_ADDR"] = "127.0.0.1:7";
  vars["CHECKOUT_DEADLINE_MS"] = "1234";
  vars["FRONTEND_HANDLER_THREADS"] = "8";
  auto config = frontend_config_from_env(Env(lookup(vars)));
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config.value().cart.address, "127.0.0.1:3");
  EXPECT_EQ(config.value().ad.address, "127.0.0.1:7");
  EXPECT_EQ(config.value().recommendation.address, "");
  EXPECT_EQ(config.value().checkout.policy.deadline, std::chrono::milliseconds(1234));
  EXPECT_EQ(config.value().cart.policy.deadline, std::chrono::milliseconds(3000));
  EXPECT_EQ(config.value().handler_threads, 8u);
}

TEST(FrontendConfigTest, MissingRequiredBackendNamesTheVariable) {
  auto vars = required_env();
  vars.erase("CART_SERVICE_ADDR");
  auto config = frontend_config_from_env(Env(lookup(vars)));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message(),
            "environment CART_SERVICE_ADDR: required but not set (host:port of the cart service)");
  vars = required_env();
  vars["FRONTEND_HANDLER_THREADS"] = "0";
  config = frontend_config_from_env(Env(lookup(vars)));
  ASSERT_FALSE(config.ok());
  EXPECT_TRUE(contains(config.error().message(), "FRONTEND_HANDLER_THREADS"));
}

TEST(FrontendMainTest, MissingBackendIsAConfigError) {
  auto vars = required_env();
  vars.erase("ORDER_SERVICE_ADDR");
  vars["PORT"] = "0";
  EXPECT_EQ(run_frontend(Env(lookup(vars))), kExitConfig);
  vars = required_env();
  vars["PORT"] = "70000";
  EXPECT_EQ(run_frontend(Env(lookup(vars))), kExitConfig);
}

}  // namespace
}  // namespace shop::testing
