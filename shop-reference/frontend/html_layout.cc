// The shared parts of every page: escaping, the layout, the error page.
#include "shop-reference/common/money.h"
#include "shop-reference/frontend/html_render.h"

namespace shop {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string url_segment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                      u == '-' || u == '_' || u == '.' || u == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

std::string html_money(const hipstershop::Money& money) {
  return html_escape(to_string(money));
}

std::string render_layout(const Chrome& chrome, std::string_view title, std::string_view content) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      html_escape(title) +
      " | Online Boutique</title>\n</head>\n<body>\n<header>\n"
      "<a href=\"/\">Online Boutique</a>\n"
      "<form method=\"POST\" action=\"/setCurrency\" class=\"currency\">\n"
      "<select name=\"currency_code\">\n";
  for (const auto& code : chrome.currencies) {
    out += "<option value=\"" + html_escape(code) + "\"" +
           (code == chrome.currency ? " selected" : "") + ">" + html_escape(code) + "</option>\n";
  }
  out += "</select>\n<button type=\"submit\">Change currency</button>\n</form>\n";
  out += "<a href=\"/cart\" class=\"cart-link\">Cart (<span class=\"cart-size\">" +
         std::to_string(chrome.cart_size) + "</span>)</a>\n</header>\n<main>\n";
  out.append(content);
  out +=
      "</main>\n<footer>\n<p>This website is hosted for demo purposes only. It is not an actual "
      "shop.</p>\n<p><a href=\"/logout\">Log out</a></p>\n</footer>\n</body>\n</html>\n";
  return out;
}

std::string render_error_page(int status, std::string_view message) {
  std::string code = std::to_string(status);
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error " +
         code +
         " | Online Boutique</title>\n</head>\n<body>\n<main class=\"error\">\n<h1>Uh, oh!</h1>\n"
         "<p>Something has failed. Below are some details for debugging.</p>\n"
         "<p><strong>HTTP Status:</strong> <span class=\"status\">" +
         code + "</span></p>\n<pre class=\"message\">" + html_escape(message) +
         "</pre>\n<p><a href=\"/\">Back to the shop</a></p>\n</main>\n</body>\n</html>\n";
}

}  // namespace shop
