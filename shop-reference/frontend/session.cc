#include "shop-reference/frontend/session.h"

#include <algorithm>

#include "common/http/cookies.h"
#include "shop-reference/common/ids.h"

namespace shop {
namespace {

std::string cookie(std::string_view name, std::string_view value, std::string_view max_age) {
  // HttpOnly: no page script needs either cookie; SameSite=Lax keeps them off cross-site POSTs.
  return std::string(name) + "=" + std::string(value) +
         "; Path=/; Max-Age=" + std::string(max_age) + "; HttpOnly; SameSite=Lax";
}

}  // namespace

const std::vector<std::string>& whitelisted_currencies() {
  static const std::vector<std::string> kCodes = {"USD", "EUR", "CAD", "JPY", "GBP", "TRY"};
  return kCodes;
}

bool is_whitelisted_currency(std::string_view code) {
  const auto& codes = whitelisted_currencies();
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

bool is_valid_session_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

Session read_session(const stampede::http::Request& request) {
  auto cookies = stampede::http::parse_cookies(request);
  Session session;
  auto id = cookies.find(kSessionCookie);
  if (id != cookies.end() && is_valid_session_id(id->second)) {
    session.id = id->second;
  } else {
    session.id = uuid4();
    session.new_id = true;
  }
  auto currency = cookies.find(kCurrencyCookie);
  session.currency = currency != cookies.end() && is_whitelisted_currency(currency->second)
                         ? currency->second
                         : std::string(kDefaultCurrency);
  return session;
}

std::string session_cookie(std::string_view id) {
  return cookie(kSessionCookie, id, std::to_string(kCookieMaxAgeSeconds));
}

std::string currency_cookie(std::string_view code) {
  return cookie(kCurrencyCookie, code, std::to_string(kCookieMaxAgeSeconds));
}

std::vector<std::string> expired_cookies() {
  // Max-Age=0 for current browsers, an Expires in the past for old ones.
  std::vector<std::string> out;
  for (auto name : {kSessionCookie, kCurrencyCookie}) {
    out.push_back(std::string(name) +
                  "=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly");
  }
  return out;
}

}  // namespace shop
