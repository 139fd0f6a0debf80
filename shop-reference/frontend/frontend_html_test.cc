// The HTML routes against fake backends, through a real HTTP server and client.
#include <gtest/gtest.h>

#include "shop-reference/common/shop_metrics.h"
#include "shop-reference/frontend/frontend_harness.h"

namespace shop::testing {
namespace {

namespace http = boost::beast::http;

constexpr const char* kCheckoutForm =
    "email=someone%40example.com&street_address=1600+Amphitheatre+Parkway&zip_code=94043"
    "&city=Mountain+View&state=CA&country=United+States"
    "&credit_card_number=4432-8015-6152-0454&credit_card_expiration_month=1"
    "&credit_card_expiration_year=2039&credit_card_cvv=672";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class FrontendHtmlTest : public ::testing::Test {
 protected:
  FrontendHarness app_;
  Browser browser_{app_.port()};
};

TEST_F(FrontendHtmlTest, HomeListsProductsAndSetsTheSessionCookie) {
  auto r = browser_.get("/");
  ASSERT_EQ(r.result_int(), 200) << r.body();
  EXPECT_EQ(r[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_TRUE(contains(r.body(), "Sunglasses"));
  EXPECT_TRUE(contains(r.body(), "USD 19.99"));
  EXPECT_TRUE(contains(r.body(), "href=\"/product/OLJCESPC7Z\""));
  // The selector offers the backend's currencies that are whitelisted, and no others.
  EXPECT_TRUE(contains(r.body(), "<option value=\"EUR\">"));
  EXPECT_TRUE(contains(r.body(), "<option value=\"USD\" selected>"));
  EXPECT_FALSE(contains(r.body(), "XXX"));
  EXPECT_TRUE(contains(r.body(), "Watch for sale: 20% off"));  // the ad
  auto cookies = set_cookies(r);
  ASSERT_EQ(cookies.size(), 1u);
  EXPECT_EQ(cookies[0].rfind("shop_session-id=", 0), 0u);
  EXPECT_TRUE(contains(cookies[0], "Max-Age=172800"));
  EXPECT_TRUE(contains(cookies[0], "Path=/"));
}

TEST_F(FrontendHtmlTest, EscapesBackendText) {
  auto r = browser_.get("/");
  ASSERT_EQ(r.result_int(), 200);
  EXPECT_TRUE(contains(r.body(), "Tank &lt;Top&gt; &amp; &quot;Co&quot;"));
  EXPECT_FALSE(contains(r.body(), "<Top>"));
}

TEST_F(FrontendHtmlTest, SessionIsReusedAndKeepsTheCart) {
  ASSERT_EQ(browser_.get("/").result_int(), 200);
  std::string id = browser_.cookies.at("shop_session-id");
  auto added = browser_.post_form("/cart", "product_id=OLJCESPC7Z&quantity=2");
  EXPECT_EQ(added.result_int(), 302);
  EXPECT_TRUE(set_cookies(added).empty());  // the cookie it has is kept
  EXPECT_EQ(app_.shop.cart.items(id).size(), 1u);
  auto home = browser_.get("/");
  EXPECT_TRUE(contains(home.body(), "<span class=\"cart-size\">2</span>"));
}

TEST_F(FrontendHtmlTest, HeadAnswersWithoutABody) {
  stampede::http::testing::TestClient client(app_.port());
  client.send(stampede::http::testing::TestClient::make_request(http::verb::head, "/"));
  auto r = client.read(/*head=*/true);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_TRUE(r.body().empty());
}

TEST_F(FrontendHtmlTest, ProductPage) {
  auto r = browser_.get("/product/OLJCESPC7Z");
  ASSERT_EQ(r.result_int(), 200) << r.body();
  EXPECT_TRUE(contains(r.body(), "<h1>Sunglasses</h1>"));
  EXPECT_TRUE(contains(r.body(), "USD 19.99"));
  EXPECT_TRUE(contains(r.body(), "<form method=\"POST\" action=\"/cart\">"));
  EXPECT_TRUE(contains(r.body(), "name=\"product_id\" value=\"OLJCESPC7Z\""));
  EXPECT_TRUE(contains(r.body(), "<select name=\"quantity\">"));
  EXPECT_TRUE(contains(r.body(), "class=\"recommendations\""));
  EXPECT_TRUE(contains(r.body(), "href=\"/product/1YMWWN1N4O\">Watch</a></li>"));
  EXPECT_TRUE(contains(r.body(), "Watch for sale"));
}

TEST_F(FrontendHtmlTest, UnknownOrMalformedProductIs404) {
  EXPECT_EQ(browser_.get("/product/NOSUCHID").result_int(), 404);
  auto r = browser_.get("/product/%3Cscript%3E");
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_TRUE(contains(r.body(), "&lt;script&gt;"));
  EXPECT_EQ(browser_.get("/product/%zz").result_int(), 400);
  EXPECT_EQ(browser_.get("/?a=%zz").result_int(), 400);
}

TEST_F(FrontendHtmlTest, CartPageShowsLinesShippingAndTotal) {
  ASSERT_EQ(browser_.post_form("/cart", "product_id=OLJCESPC7Z&quantity=2").result_int(), 302);
  auto r = browser_.get("/cart");
  ASSERT_EQ(r.result_int(), 200) << r.body();
  EXPECT_TRUE(contains(r.body(), "<td class=\"quantity\">2</td>"));
  EXPECT_TRUE(contains(r.body(), "USD 39.98"));  // 2 x 19.99
  EXPECT_TRUE(contains(r.body(), "<td class=\"shipping\">USD 8.99</td>"));
  EXPECT_TRUE(contains(r.body(), "<td class=\"total\">USD 48.97</td>"));
  for (const char* field :
       {"email", "street_address", "zip_code", "city", "state", "country", "credit_card_number",
        "credit_card_expiration_month", "credit_card_expiration_year", "credit_card_cvv"}) {
    EXPECT_TRUE(contains(r.body(), std::string("name=\"") + field + "\"")) << field;
  }
}

TEST_F(FrontendHtmlTest, EmptyCartPage) {
  auto r = browser_.get("/cart");
  ASSERT_EQ(r.result_int(), 200);
  EXPECT_TRUE(contains(r.body(), "Your shopping cart is empty!"));
  EXPECT_FALSE(contains(r.body(), "action=\"/cart/checkout\""));
}

TEST_F(FrontendHtmlTest, AddToCartRedirectsToTheCart) {
  auto r = browser_.post_form("/cart", "product_id=66VCHSJNUP&quantity=10");
  EXPECT_EQ(r.result_int(), 302);
  EXPECT_EQ(r[http::field::location], "/cart");
}

TEST_F(FrontendHtmlTest, AddToCartValidation) {
  EXPECT_EQ(browser_.post_form("/cart", "product_id=OLJCESPC7Z&quantity=0").result_int(), 422);
  EXPECT_EQ(browser_.post_form("/cart", "product_id=OLJCESPC7Z&quantity=11").result_int(), 422);
  EXPECT_EQ(browser_.post_form("/cart", "product_id=OLJCESPC7Z&quantity=two").result_int(), 422);
  EXPECT_EQ(browser_.post_form("/cart", "product_id=OLJCESPC7Z").result_int(), 422);
  EXPECT_EQ(browser_.post_form("/cart", "quantity=1").result_int(), 422);
  EXPECT_EQ(browser_.post_form("/cart", "product_id=NOPE&quantity=1").result_int(), 404);
  EXPECT_EQ(browser_.post_form("/cart", "product_id=%ZZ&quantity=1").result_int(), 400);
  EXPECT_TRUE(app_.shop.cart.items(browser_.cookies.at("shop_session-id")).empty());
}

TEST_F(FrontendHtmlTest, CartBackendFailureIs500) {
  app_.shop.cart.fail.set(grpc::UNAVAILABLE);
  EXPECT_EQ(browser_.post_form("/cart", "product_id=OLJCESPC7Z&quantity=1").result_int(), 500);
  auto r = browser_.get("/cart");
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_TRUE(contains(r.body(), "could not retrieve cart (cart)"));
  EXPECT_EQ(browser_.post_form("/cart/empty", "").result_int(), 500);
}

TEST_F(FrontendHtmlTest, EmptyCartRedirectsHome) {
  ASSERT_EQ(browser_.post_form("/cart", "product_id=OLJCESPC7Z&quantity=1").result_int(), 302);
  auto r = browser_.post_form("/cart/empty", "");
  EXPECT_EQ(r.result_int(), 302);
  EXPECT_EQ(r[http::field::location], "/");
  EXPECT_TRUE(app_.shop.cart.items(browser_.cookies.at("shop_session-id")).empty());
}

TEST_F(FrontendHtmlTest, SetCurrencyRedirectsToTheReferer) {
  auto r = browser_.post_form("/setCurrency", "currency_code=EUR",
                              {{"Referer", "http://shop.example/product/OLJCESPC7Z"}});
  EXPECT_EQ(r.result_int(), 302);
  EXPECT_EQ(r[http::field::location], "http://shop.example/product/OLJCESPC7Z");
  EXPECT_EQ(browser_.cookies.at("shop_currency"), "EUR");
  bool currency_cookie = false;
  for (const auto& c : set_cookies(r)) {
    if (c.rfind("shop_currency=EUR;", 0) == 0) {
      currency_cookie = true;
      EXPECT_TRUE(contains(c, "Max-Age=172800"));
    }
  }
  EXPECT_TRUE(currency_cookie);
  auto home = browser_.get("/");
  EXPECT_TRUE(contains(home.body(), "EUR 39.98"));  // 19.99 USD at the fake's 2 EUR per USD
  EXPECT_TRUE(contains(home.body(), "<option value=\"EUR\" selected>"));
}

TEST_F(FrontendHtmlTest, SetCurrencyWithoutRefererGoesHome) {
  auto r = browser_.post_form("/setCurrency", "currency_code=JPY");
  EXPECT_EQ(r.result_int(), 302);
  EXPECT_EQ(r[http::field::location], "/");
}

TEST_F(FrontendHtmlTest, SetCurrencyRejectsUnsupportedCodes) {
  for (const char* body : {"currency_code=XXX", "currency_code=eur", "", "currency_code="}) {
    EXPECT_EQ(browser_.post_form("/setCurrency", body).result_int(), 422) << body;
  }
  EXPECT_EQ(browser_.cookies.count("shop_currency"), 0u);
}

TEST_F(FrontendHtmlTest, LogoutExpiresBothCookies) {
  ASSERT_EQ(browser_.post_form("/setCurrency", "currency_code=EUR").result_int(), 302);
  ASSERT_EQ(browser_.cookies.size(), 2u);
  auto r = browser_.get("/logout");
  EXPECT_EQ(r.result_int(), 302);
  EXPECT_EQ(r[http::field::location], "/");
  auto cookies = set_cookies(r);
  ASSERT_EQ(cookies.size(), 2u);  // no fresh session cookie on the way out
  for (const auto& c : cookies) EXPECT_TRUE(contains(c, "Max-Age=0")) << c;
  EXPECT_TRUE(browser_.cookies.empty());
}

TEST_F(FrontendHtmlTest, CheckoutPlacesTheOrder) {
  ASSERT_EQ(browser_.post_form("/cart", "product_id=OLJCESPC7Z&quantity=2").result_int(), 302);
  auto r = browser_.post_form("/cart/checkout", kCheckoutForm);
  ASSERT_EQ(r.result_int(), 200) << r.body();
  EXPECT_TRUE(contains(r.body(), "<dd class=\"order-id\">order-1</dd>"));
  EXPECT_TRUE(contains(r.body(), "<dd class=\"tracking-id\">track-1</dd>"));
  EXPECT_TRUE(contains(r.body(), "<dd class=\"total\">USD 48.97</dd>"));
  auto sent = app_.shop.checkout.last_request();
  EXPECT_EQ(sent.user_id(), browser_.cookies.at("shop_session-id"));
  EXPECT_EQ(sent.user_currency(), "USD");
  EXPECT_EQ(sent.email(), "someone@example.com");
  EXPECT_EQ(sent.address().zip_code(), 94043);
  EXPECT_EQ(sent.credit_card().credit_card_number(), "4432801561520454");
}

TEST_F(FrontendHtmlTest, CheckoutValidationNamesTheField) {
  std::string form = kCheckoutForm;
  form.replace(form.find("credit_card_cvv=672"), 19, "credit_card_cvv=1");
  auto r = browser_.post_form("/cart/checkout", form);
  EXPECT_EQ(r.result_int(), 422);
  EXPECT_TRUE(contains(r.body(), "credit_card_cvv"));
  auto missing = browser_.post_form("/cart/checkout", "email=a%40b.co");
  EXPECT_EQ(missing.result_int(), 422);
  EXPECT_TRUE(contains(missing.body(), "street_address: required"));
}

TEST_F(FrontendHtmlTest, CheckoutRefusalsAre422AndFailuresAre500) {
  // Empty cart: the checkout service's FAILED_PRECONDITION.
  auto empty = browser_.post_form("/cart/checkout", kCheckoutForm);
  EXPECT_EQ(empty.result_int(), 422);
  EXPECT_TRUE(contains(empty.body(), "cart is empty"));
  ASSERT_EQ(browser_.post_form("/cart", "product_id=OLJCESPC7Z&quantity=1").result_int(), 302);
  std::string declined = kCheckoutForm;
  declined.replace(declined.find("4432-8015-6152-0454"), 19, "4000000000000002");
  auto refused = browser_.post_form("/cart/checkout", declined);
  EXPECT_EQ(refused.result_int(), 422);
  EXPECT_TRUE(contains(refused.body(), "credit card declined"));
  app_.shop.checkout.fail.set(grpc::UNAVAILABLE);
  EXPECT_EQ(browser_.post_form("/cart/checkout", kCheckoutForm).result_int(), 500);
}

TEST_F(FrontendHtmlTest, PageDegradesWhenTheAdServiceFails) {
  auto before =
      metric_value(registry().render(), "shop_degraded_responses_total{dependency=\"ad\"}");
  app_.shop.ad.fail.set(grpc::UNAVAILABLE);
  auto r = browser_.get("/");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_TRUE(contains(r.body(), "Sunglasses"));
  EXPECT_FALSE(contains(r.body(), "class=\"ad\""));
  auto after =
      metric_value(registry().render(), "shop_degraded_responses_total{dependency=\"ad\"}");
  EXPECT_EQ(after, before + 1);
}

TEST_F(FrontendHtmlTest, PageDegradesWhenRecommendationsFail) {
  app_.shop.recommendation.fail.set(grpc::DEADLINE_EXCEEDED);
  auto r = browser_.get("/product/OLJCESPC7Z");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_FALSE(contains(r.body(), "class=\"recommendations\""));
}

TEST_F(FrontendHtmlTest, RequiredBackendFailureIs500) {
  app_.shop.currency.fail.set(grpc::UNAVAILABLE);
  EXPECT_EQ(browser_.get("/").result_int(), 500);
  EXPECT_EQ(browser_.get("/product/OLJCESPC7Z").result_int(), 500);
}

TEST_F(FrontendHtmlTest, WrongMethodIs405WithAllow) {
  auto r = browser_.request(http::verb::delete_, "/cart");
  EXPECT_EQ(r.result_int(), 405);
  EXPECT_EQ(r[http::field::allow], "GET, HEAD, POST");
  auto get = browser_.get("/cart/empty");
  EXPECT_EQ(get.result_int(), 405);
  EXPECT_EQ(get[http::field::allow], "POST");
  EXPECT_EQ(browser_.post_form("/logout", "").result_int(), 405);
}

TEST_F(FrontendHtmlTest, UnknownRoutesAre404AndRobotsIsServed) {
  EXPECT_EQ(browser_.get("/nope").result_int(), 404);
  EXPECT_EQ(browser_.get("/cart/").result_int(), 404);
  auto robots = browser_.get("/robots.txt");
  EXPECT_EQ(robots.result_int(), 200);
  EXPECT_TRUE(contains(robots.body(), "User-agent"));
}

TEST(FrontendOptionalBackendsTest, PagesWorkWithoutAdAndRecommendation) {
  FrontendHarness app([](FrontendConfig& c) {
    c.ad.address.clear();
    c.recommendation.address.clear();
  });
  Browser browser(app.port());
  auto r = browser.get("/product/OLJCESPC7Z");
  ASSERT_EQ(r.result_int(), 200) << r.body();
  EXPECT_FALSE(contains(r.body(), "class=\"recommendations\""));
  EXPECT_FALSE(contains(r.body(), "class=\"ad\""));
}

}  // namespace
}  // namespace shop::testing
