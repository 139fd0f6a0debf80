// The shopper's session as Online Boutique keeps it: two cookies, `shop_session-id` (a uuid4;
// also the user id for the cart, checkout and orders) and `shop_currency` (default USD).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/http/server.h"

namespace shop {

inline constexpr std::string_view kSessionCookie = "shop_session-id";
inline constexpr std::string_view kCurrencyCookie = "shop_currency";
inline constexpr int kCookieMaxAgeSeconds = 172800;  // 48 hours, as Online Boutique
inline constexpr std::string_view kDefaultCurrency = "USD";

// Online Boutique's currency whitelist, in its order: USD EUR CAD JPY GBP TRY.
const std::vector<std::string>& whitelisted_currencies();
bool is_whitelisted_currency(std::string_view code);

// One request's session. A plain value.
struct Session {
  std::string id;        // the user id
  std::string currency;  // a whitelisted code
  bool new_id = false;   // the id was made for this request: the response must set the cookie
};

// True for 1..64 characters of [A-Za-z0-9_-] (a uuid4 is; anything else is not passed on to
// the backends).
bool is_valid_session_id(std::string_view id);

// The session carried by `request`'s cookies. A missing or malformed session id gets a fresh
// uuid4 (new_id = true); a missing or non-whitelisted currency reads as USD. Never fails.
Session read_session(const stampede::http::Request& request);

// Set-Cookie values.
std::string session_cookie(std::string_view id);
std::string currency_cookie(std::string_view code);
// Both cookies, expired (for /logout).
std::vector<std::string> expired_cookies();

}  // namespace shop
