// Server-rendered HTML for the shop's pages: plain markup, no scripts, every value escaped.
// Pure functions of their arguments; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "demo.pb.h"
#include "shop-reference/frontend/page_data.h"

namespace shop {

// What every page's header shows.
struct Chrome {
  std::string currency;                 // the session's currency
  std::vector<std::string> currencies;  // offered in the selector (at least `currency`)
  int64_t cart_size = 0;
};

// Escapes & < > " ' for text and attribute values.
std::string html_escape(std::string_view text);
// Percent-encodes everything but unreserved characters, for one URL path segment.
std::string url_segment(std::string_view text);
// "USD 19.99" (shop::to_string), escaped.
std::string html_money(const hipstershop::Money& money);

// The page around `content`: title, header (home link, currency selector posting to
// /setCurrency, cart link with its size) and footer.
std::string render_layout(const Chrome& chrome, std::string_view title, std::string_view content);
// A page for an error status; `message` is shown escaped.
std::string render_error_page(int status, std::string_view message);

std::string render_home(const Chrome& chrome, const std::vector<PricedProduct>& products,
                        const std::optional<hipstershop::Ad>& ad);
// The add-to-cart form posts product_id and quantity (1..10) to /cart.
std::string render_product(const Chrome& chrome, const PricedProduct& product,
                           const std::optional<std::vector<hipstershop::Product>>& recommended,
                           const std::optional<hipstershop::Ad>& ad);
// With a checkout form (Online Boutique's field names) when the cart is not empty.
std::string render_cart(const Chrome& chrome, const CartView& cart,
                        const std::optional<std::vector<hipstershop::Product>>& recommended);
std::string render_order(const Chrome& chrome, const hipstershop::OrderResult& order,
                         const std::optional<hipstershop::Money>& total_paid);

}  // namespace shop
