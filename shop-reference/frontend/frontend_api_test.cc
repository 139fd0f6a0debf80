// The JSON API against fake backends, through a real HTTP server and client.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "shop-reference/frontend/frontend_harness.h"

namespace shop::testing {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

constexpr const char* kCheckout = R"({"email": "someone@example.com",
  "address": {"street_address": "1600 Amphitheatre Parkway", "city": "Mountain View",
              "state": "CA", "country": "United States", "zip_code": 94043},
  "credit_card": {"credit_card_number": "4432-8015-6152-0454", "credit_card_cvv": 672,
                  "credit_card_expiration_year": 2039, "credit_card_expiration_month": 1}})";

json body_of(const stampede::http::Response& r) {
  EXPECT_EQ(r[http::field::content_type], "application/json");
  auto doc = json::parse(r.body(), nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << r.body();
  return doc;
}

class FrontendApiTest : public ::testing::Test {
 protected:
  stampede::http::Response add(const std::string& body) {
    return browser_.send_json(http::verb::post, "/api/cart", body);
  }
  stampede::http::Response checkout(const std::string& body = kCheckout) {
    return browser_.send_json(http::verb::post, "/api/checkout", body);
  }

  FrontendHarness app_;
  Browser browser_{app_.port()};
};

TEST_F(FrontendApiTest, ListsProductsInTheSessionOrRequestedCurrency) {
  auto r = browser_.get("/api/products");
  ASSERT_EQ(r.result_int(), 200) << r.body();
  auto doc = body_of(r);
  EXPECT_EQ(doc["currency"], "USD");
  ASSERT_EQ(doc["products"].size(), 3u);
  EXPECT_EQ(doc["products"][2]["id"], "OLJCESPC7Z");
  EXPECT_EQ(doc["products"][2]["price"]["text"], "USD 19.99");
  EXPECT_EQ(doc["products"][2]["price"]["units"], 19);
  EXPECT_EQ(doc["products"][2]["price"]["nanos"], 990000000);
  EXPECT_EQ(set_cookies(r).size(), 1u);  // the session cookie, as on pages
  auto eur = body_of(browser_.get("/api/products?currency=EUR"));
  EXPECT_EQ(eur["products"][2]["price"]["text"], "EUR 39.98");
  auto bad = browser_.get("/api/products?currency=XXX");
  EXPECT_EQ(bad.result_int(), 422);
  EXPECT_TRUE(body_of(bad)["error"].is_string());
}

TEST_F(FrontendApiTest, GetsOneProduct) {
  auto r = browser_.get("/api/products/1YMWWN1N4O");
  ASSERT_EQ(r.result_int(), 200);
  EXPECT_EQ(body_of(r)["product"]["name"], "Watch");
  auto missing = browser_.get("/api/products/NOPE");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(body_of(missing)["error"], "product 'NOPE' not found");
  EXPECT_EQ(browser_.get("/api/products/%3C%3E").result_int(), 404);
}

TEST_F(FrontendApiTest, CartRoundTrip) {
  auto empty = browser_.get("/api/cart");
  ASSERT_EQ(empty.result_int(), 200);
  EXPECT_EQ(body_of(empty)["total_items"], 0);
  auto added = add(R"({"product_id": "OLJCESPC7Z", "quantity": 3})");
  ASSERT_EQ(added.result_int(), 200) << added.body();
  auto doc = body_of(added);
  EXPECT_EQ(doc["total_items"], 3);
  ASSERT_EQ(doc["items"].size(), 1u);
  EXPECT_EQ(doc["items"][0]["product_id"], "OLJCESPC7Z");
  EXPECT_EQ(doc["items"][0]["quantity"], 3);
  EXPECT_EQ(doc["items"][0]["price"]["text"], "USD 19.99");
  EXPECT_EQ(body_of(browser_.get("/api/cart"))["total_items"], 3);
  auto emptied = browser_.request(http::verb::delete_, "/api/cart");
  EXPECT_EQ(emptied.result_int(), 200);
  EXPECT_EQ(body_of(emptied)["total_items"], 0);
  EXPECT_EQ(body_of(browser_.get("/api/cart"))["items"].size(), 0u);
}

TEST_F(FrontendApiTest, AddToCartErrors) {
  for (const char* bad :
       {"{", "[]", R"({"quantity": 1})", R"({"product_id": 5, "quantity": 1})",
        R"({"product_id": "OLJCESPC7Z", "quantity": "2"})",
        R"({"product_id": "OLJCESPC7Z", "quantity": 1.5})", R"({"product_id": "OLJCESPC7Z"})"}) {
    auto r = add(bad);
    EXPECT_EQ(r.result_int(), 400) << bad;
    EXPECT_TRUE(body_of(r)["error"].is_string());
  }
  for (const char* out_of_range :
       {R"({"product_id": "OLJCESPC7Z", "quantity": 0})",
        R"({"product_id": "OLJCESPC7Z", "quantity": 11})",
        R"({"product_id": "OLJCESPC7Z", "quantity": -3})",
        R"({"product_id": "OLJCESPC7Z", "quantity": 18446744073709551615})"}) {
    EXPECT_EQ(add(out_of_range).result_int(), 422) << out_of_range;
  }
  EXPECT_EQ(add(R"({"product_id": "NOPE", "quantity": 1})").result_int(), 404);
  EXPECT_EQ(add(R"({"product_id": "\u00ff", "quantity": 1})").result_int(), 404);
}

TEST_F(FrontendApiTest, BackendFailuresMapTo503And504And500) {
  app_.shop.cart.fail.set(grpc::UNAVAILABLE);
  auto unavailable = browser_.get("/api/cart");
  EXPECT_EQ(unavailable.result_int(), 503);
  EXPECT_NE(body_of(unavailable)["error"].get<std::string>().find("cart"), std::string::npos);
  app_.shop.cart.fail.set(grpc::DEADLINE_EXCEEDED);
  EXPECT_EQ(browser_.get("/api/cart").result_int(), 504);
  app_.shop.cart.fail.set(grpc::INTERNAL);
  EXPECT_EQ(browser_.get("/api/cart").result_int(), 500);
}

TEST_F(FrontendApiTest, CheckoutPlacesTheOrder) {
  ASSERT_EQ(add(R"({"product_id": "OLJCESPC7Z", "quantity": 2})").result_int(), 200);
  auto r = checkout();
  ASSERT_EQ(r.result_int(), 200) << r.body();
  auto order = body_of(r)["order"];
  EXPECT_EQ(order["order_id"], "order-1");
  EXPECT_EQ(order["shipping_tracking_id"], "track-1");
  EXPECT_EQ(order["total"]["text"], "USD 48.97");
  EXPECT_EQ(order["items"][0]["quantity"], 2);
  EXPECT_EQ(order["shipping_address"]["zip_code"], 94043);
  EXPECT_EQ(app_.shop.checkout.last_request().credit_card().credit_card_cvv(), 672);
}

TEST_F(FrontendApiTest, CheckoutErrors) {
  EXPECT_EQ(checkout("{").result_int(), 400);
  EXPECT_EQ(checkout(R"({"address": 1})").result_int(), 400);
  auto invalid = checkout(R"({"email": "someone@example.com"})");
  EXPECT_EQ(invalid.result_int(), 422);
  EXPECT_EQ(body_of(invalid)["error"], "street_address: required");
  auto empty_cart = checkout();
  EXPECT_EQ(empty_cart.result_int(), 422);
  ASSERT_EQ(add(R"({"product_id": "OLJCESPC7Z", "quantity": 1})").result_int(), 200);
  std::string declined = kCheckout;
  declined.replace(declined.find("4432-8015-6152-0454"), 19, "4000000000000002");
  auto refused = checkout(declined);
  EXPECT_EQ(refused.result_int(), 422);
  EXPECT_NE(body_of(refused)["error"].get<std::string>().find("declined"), std::string::npos);
  app_.shop.checkout.fail.set(grpc::UNAVAILABLE);
  auto down = checkout();
  EXPECT_EQ(down.result_int(), 503);
  EXPECT_EQ(down[http::field::retry_after], "");  // the breaker is still closed
  app_.shop.checkout.fail.set(grpc::DEADLINE_EXCEEDED);
  EXPECT_EQ(checkout().result_int(), 504);
}

TEST(FrontendApiBreakerTest, OpenBreakerAnswers503WithRetryAfter) {
  FrontendHarness app([](FrontendConfig& c) {
    c.checkout.policy.breaker.consecutive_failures = 1;
    c.checkout.policy.breaker.open_for = std::chrono::milliseconds(60'000);
  });
  Browser browser(app.port());
  app.shop.checkout.fail.set(grpc::UNAVAILABLE);
  EXPECT_EQ(browser.send_json(http::verb::post, "/api/checkout", kCheckout).result_int(), 503);
  auto r = browser.send_json(http::verb::post, "/api/checkout", kCheckout);
  EXPECT_EQ(r.result_int(), 503);
  EXPECT_EQ(r[http::field::retry_after], "60");
  EXPECT_NE(r.body().find("circuit breaker open"), std::string::npos) << r.body();
}

TEST_F(FrontendApiTest, OrdersListGetAndCancel) {
  ASSERT_EQ(add(R"({"product_id": "OLJCESPC7Z", "quantity": 1})").result_int(), 200);
  ASSERT_EQ(checkout().result_int(), 200);
  auto list = browser_.get("/api/orders");
  ASSERT_EQ(list.result_int(), 200);
  auto orders = body_of(list)["orders"];
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0]["order_id"], "order-1");

  auto got = browser_.get("/api/orders/order-1");
  ASSERT_EQ(got.result_int(), 200) << got.body();
  auto order = body_of(got)["order"];
  EXPECT_EQ(order["status"], "PLACED");
  ASSERT_EQ(order["history"].size(), 2u);
  EXPECT_EQ(order["history"][0]["status"], "PENDING");

  auto cancelled = browser_.request(http::verb::post, "/api/orders/order-1/cancel");
  ASSERT_EQ(cancelled.result_int(), 200) << cancelled.body();
  EXPECT_EQ(body_of(cancelled)["order"]["status"], "CANCELLED");
  auto again = browser_.request(http::verb::post, "/api/orders/order-1/cancel");
  EXPECT_EQ(again.result_int(), 409);
  EXPECT_EQ(browser_.request(http::verb::post, "/api/orders/nope/cancel").result_int(), 404);
  EXPECT_EQ(browser_.get("/api/orders/nope").result_int(), 404);
  EXPECT_EQ(browser_.get("/api/orders/%3Cx%3E").result_int(), 404);
  EXPECT_EQ(browser_.get("/api/orders/order-1/cancel").result_int(), 405);
}

TEST_F(FrontendApiTest, OrdersOfAnotherSessionAreNotFound) {
  ASSERT_EQ(add(R"({"product_id": "OLJCESPC7Z", "quantity": 1})").result_int(), 200);
  ASSERT_EQ(checkout().result_int(), 200);
  Browser stranger(app_.port());
  EXPECT_EQ(stranger.get("/api/orders/order-1").result_int(), 404);
  EXPECT_EQ(stranger.request(http::verb::post, "/api/orders/order-1/cancel").result_int(), 404);
  EXPECT_EQ(body_of(stranger.get("/api/orders"))["orders"].size(), 0u);
}

TEST_F(FrontendApiTest, ApiErrorsAreJson) {
  auto missing = browser_.get("/api/nope");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_TRUE(body_of(missing)["error"].is_string());
  auto method = browser_.request(http::verb::put, "/api/cart");
  EXPECT_EQ(method.result_int(), 405);
  EXPECT_EQ(method[http::field::allow], "GET, HEAD, POST, DELETE");
  EXPECT_TRUE(body_of(method)["error"].is_string());
}

}  // namespace
}  // namespace shop::testing
