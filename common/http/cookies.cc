#include "common/http/cookies.h"

#include <boost/beast/http/field.hpp>

namespace stampede::http {

namespace {

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

void parse_into(std::string_view header, Cookies& cookies) {
  while (!header.empty()) {
    const size_t semicolon = header.find(';');
    const std::string_view pair = header.substr(0, semicolon);
    header =
        semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = trim(pair.substr(0, eq));
    std::string_view value = trim(pair.substr(eq + 1));
    if (name.empty()) continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    // emplace keeps the first: browsers send the most specific path's cookie first.
    cookies.emplace(std::string(name), std::string(value));
  }
}

}  // namespace

Cookies parse_cookies(std::string_view header) {
  Cookies cookies;
  parse_into(header, cookies);
  return cookies;
}

Cookies parse_cookies(const Request& request) {
  Cookies cookies;
  const auto range = request.equal_range(boost::beast::http::field::cookie);
  for (auto it = range.first; it != range.second; ++it) {
    parse_into(std::string_view(it->value().data(), it->value().size()), cookies);
  }
  return cookies;
}

std::optional<std::string> find_cookie(const Request& request, std::string_view name) {
  const Cookies cookies = parse_cookies(request);
  const auto it = cookies.find(name);
  if (it == cookies.end()) return std::nullopt;
  return it->second;
}

}  // namespace stampede::http
