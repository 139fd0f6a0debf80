#include "shop-reference/frontend/router.h"

#include <gtest/gtest.h>

#include "shop-reference/frontend/html_render.h"

namespace shop {
namespace {

using Params = std::vector<std::string>;

TEST(FrontendMatchRouteTest, LiteralsAndPlaceholders) {
  EXPECT_EQ(match_route("/", "/"), Params{});
  EXPECT_EQ(match_route("/cart", "/cart"), Params{});
  EXPECT_EQ(match_route("/product/{id}", "/product/OLJCESPC7Z"), Params{"OLJCESPC7Z"});
  EXPECT_EQ(match_route("/api/orders/{id}/cancel", "/api/orders/o%2F1/cancel"),
            Params{"o%2F1"});  // still encoded: an escaped '/' stays inside its segment
}

TEST(FrontendMatchRouteTest, Mismatches) {
  EXPECT_FALSE(match_route("/cart", "/cart/"));
  EXPECT_FALSE(match_route("/cart", "/Cart"));
  EXPECT_FALSE(match_route("/product/{id}", "/product/"));
  EXPECT_FALSE(match_route("/product/{id}", "/product/a/b"));
  EXPECT_FALSE(match_route("/", ""));
  EXPECT_FALSE(match_route("/api/orders/{id}", "/api/orders/1/cancel"));
}

TEST(FrontendHtmlRenderTest, EscapesEverything) {
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(url_segment("a b/<c>"), "a%20b%2F%3Cc%3E");
  Chrome chrome{"EUR", {"USD", "EUR"}, 3};
  std::string page = render_layout(chrome, "<title>", "");
  EXPECT_NE(page.find("&lt;title&gt;"), std::string::npos);
  EXPECT_NE(page.find("<option value=\"EUR\" selected>"), std::string::npos);
  EXPECT_NE(page.find("<span class=\"cart-size\">3</span>"), std::string::npos);
  EXPECT_NE(render_error_page(404, "<x>").find("&lt;x&gt;"), std::string::npos);
}

TEST(FrontendHtmlRenderTest, AdLinksOnlyToWebOrSitePaths) {
  Chrome chrome{"USD", {"USD"}, 0};
  hipstershop::Ad ad;
  ad.set_redirect_url("javascript:alert(1)");
  ad.set_text("t");
  std::string page = render_home(chrome, {}, ad);
  EXPECT_EQ(page.find("javascript:"), std::string::npos);
  ad.set_redirect_url("/product/X");
  EXPECT_NE(render_home(chrome, {}, ad).find("href=\"/product/X\""), std::string::npos);
}

}  // namespace
}  // namespace shop
