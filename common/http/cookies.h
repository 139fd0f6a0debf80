// Parsing the Cookie request header.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/http/server.h"

namespace stampede::http {

using Cookies = std::map<std::string, std::string, std::less<>>;

// Parses a Cookie header ("a=1; b=2") into name -> value. Whitespace around names and values is
// trimmed, a value in double quotes is unquoted, pairs without '=' or with an empty name are
// skipped, and the first of repeated names wins. Values are not percent-decoded. Never fails.
Cookies parse_cookies(std::string_view header);
// Same, over every Cookie header of `request` (proxies may split them).
Cookies parse_cookies(const Request& request);
// The value of cookie `name` in `request`, or nullopt when absent.
std::optional<std::string> find_cookie(const Request& request, std::string_view name);

}  // namespace stampede::http
