// The page bodies. Every value from a backend or a request goes through html_escape (or
// url_segment inside a link) before it reaches the markup.
#include "shop-reference/frontend/html_render.h"

namespace shop {
namespace {

std::string product_link(const hipstershop::Product& product) {
  return "<a href=\"/product/" + html_escape(url_segment(product.id())) + "\">" +
         html_escape(product.name()) + "</a>";
}

std::string render_ad(const std::optional<hipstershop::Ad>& ad) {
  if (!ad) return "";
  // Only site paths and web links: a "javascript:" URL would run in the shopper's page.
  const std::string& url = ad->redirect_url();
  bool safe =
      url.rfind("/", 0) == 0 || url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  return "<aside class=\"ad\"><strong>Ad</strong> <a href=\"" + html_escape(safe ? url : "/") +
         "\" rel=\"nofollow\">" + html_escape(ad->text()) + "</a></aside>\n";
}

std::string render_recommendations(
    const std::optional<std::vector<hipstershop::Product>>& recommended) {
  if (!recommended || recommended->empty()) return "";
  std::string out = "<section class=\"recommendations\">\n<h2>You May Also Like</h2>\n<ul>\n";
  for (const auto& product : *recommended) out += "<li>" + product_link(product) + "</li>\n";
  return out + "</ul>\n</section>\n";
}

// A text input of the checkout form, pre-filled like Online Boutique's.
std::string input(const char* name, const char* label, const char* value,
                  const char* type = "text") {
  return std::string("<label>") + label + " <input type=\"" + type + "\" name=\"" + name +
         "\" value=\"" + value + "\" required></label><br>\n";
}

std::string checkout_form() {
  return "<section class=\"checkout\">\n<h2>Shipping Address and Payment</h2>\n"
         "<form method=\"POST\" action=\"/cart/checkout\">\n" +
         input("email", "E-mail Address", "someone@example.com", "email") +
         input("street_address", "Street Address", "1600 Amphitheatre Parkway") +
         input("zip_code", "Zip Code", "94043") + input("city", "City", "Mountain View") +
         input("state", "State", "CA") + input("country", "Country", "United States") +
         input("credit_card_number", "Credit Card Number", "4432-8015-6152-0454") +
         input("credit_card_expiration_month", "Month", "1") +
         input("credit_card_expiration_year", "Year", "2030") +
         input("credit_card_cvv", "CVV", "672") +
         "<button type=\"submit\">Place Order</button>\n</form>\n</section>\n";
}

}  // namespace

std::string render_home(const Chrome& chrome, const std::vector<PricedProduct>& products,
                        const std::optional<hipstershop::Ad>& ad) {
  std::string content = "<h1>Hot Products</h1>\n<ul class=\"products\">\n";
  for (const auto& p : products) {
    content += "<li class=\"product\">" + product_link(p.product) + " <span class=\"price\">" +
               html_money(p.price) + "</span></li>\n";
  }
  content += "</ul>\n" + render_ad(ad);
  return render_layout(chrome, "Home", content);
}

std::string render_product(const Chrome& chrome, const PricedProduct& p,
                           const std::optional<std::vector<hipstershop::Product>>& recommended,
                           const std::optional<hipstershop::Ad>& ad) {
  std::string content = "<article class=\"product\">\n<h1>" + html_escape(p.product.name()) +
                        "</h1>\n<p class=\"price\">" + html_money(p.price) +
                        "</p>\n<p class=\"description\">" + html_escape(p.product.description()) +
                        "</p>\n<form method=\"POST\" action=\"/cart\">\n"
                        "<input type=\"hidden\" name=\"product_id\" value=\"" +
                        html_escape(p.product.id()) +
                        "\">\n<label>Quantity <select name=\"quantity\">";
  for (int q = 1; q <= 10; ++q) {
    content += "<option value=\"" + std::to_string(q) + "\">" + std::to_string(q) + "</option>";
  }
  content +=
      "</select></label>\n<button type=\"submit\">Add To Cart</button>\n</form>\n"
      "</article>\n" +
      render_recommendations(recommended) + render_ad(ad);
  return render_layout(chrome, p.product.name(), content);
}

std::string render_cart(const Chrome& chrome, const CartView& cart,
                        const std::optional<std::vector<hipstershop::Product>>& recommended) {
  std::string content;
  if (cart.lines.empty()) {
    content = "<h1>Your shopping cart is empty!</h1>\n<p><a href=\"/\">Continue Shopping</a></p>\n";
  } else {
    content = "<h1>Cart (" + std::to_string(cart.size) +
              ")</h1>\n"
              "<form method=\"POST\" action=\"/cart/empty\"><button type=\"submit\">Empty Cart"
              "</button></form>\n<table class=\"cart\">\n"
              "<tr><th>Product</th><th>Quantity</th><th>Price</th></tr>\n";
    for (const auto& line : cart.lines) {
      content += "<tr><td>" + product_link(line.product) + "</td><td class=\"quantity\">" +
                 std::to_string(line.quantity) + "</td><td class=\"price\">" +
                 html_money(line.total) + "</td></tr>\n";
    }
    content += "<tr><td>Shipping</td><td></td><td class=\"shipping\">" + html_money(cart.shipping) +
               "</td></tr>\n<tr><td>Total</td><td></td>"
               "<td class=\"total\">" +
               html_money(cart.total) + "</td></tr>\n</table>\n" + checkout_form();
  }
  content += render_recommendations(recommended);
  return render_layout(chrome, "Shopping Cart", content);
}

std::string render_order(const Chrome& chrome, const hipstershop::OrderResult& order,
                         const std::optional<hipstershop::Money>& total_paid) {
  std::string content =
      "<section class=\"order\">\n<h1>Your order is complete!</h1>\n"
      "<p>We've sent you a confirmation email.</p>\n<dl>\n"
      "<dt>Confirmation #</dt><dd class=\"order-id\">" +
      html_escape(order.order_id()) + "</dd>\n<dt>Tracking #</dt><dd class=\"tracking-id\">" +
      html_escape(order.shipping_tracking_id()) + "</dd>\n<dt>Total Paid</dt><dd class=\"total\">" +
      (total_paid ? html_money(*total_paid) : std::string("(see the confirmation email)")) +
      "</dd>\n</dl>\n"
      "<p><a href=\"/\">Continue Shopping</a></p>\n</section>\n";
  return render_layout(chrome, "Order Confirmation", content);
}

}  // namespace shop
