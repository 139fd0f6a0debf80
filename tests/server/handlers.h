#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "tests/server/query.h"
#include "tests/server/request_stats.h"

namespace stampede::testserver {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// Boost 1.74's Beast speaks boost::string_view; everything here speaks std::string_view.
inline std::string_view to_std(boost::beast::string_view text) {
  return {text.data(), text.size()};
}

// The route handlers. Each builds a complete response body and its route-specific headers; the
// Router then sets version, keep-alive, the modifiers and Content-Length. Pure and thread-safe.

// A response with `body` and no Content-Type (the plain-text routes stay minimal for speed).
Response text_response(boost::beast::http::status status, std::string body);

// A response carrying `doc` as application/json; invalid UTF-8 in strings is replaced, not thrown.
Response json_response(const nlohmann::json& doc);

// /echo: {"method","path","query" (raw, without '?'),"headers" {lowercased name: value, repeats
// joined with ", "},"body"}.
Response echo(const Request& request, std::string_view path, std::string_view query);

// /json: the fixed document {"name":"stampede","items":[1,2,3],"nested":{"ok":true}}.
Response fixed_json();

// /cookies/set: one `Set-Cookie: NAME=VALUE; Path=/` per non-modifier parameter; the body is the
// JSON object of the cookies set. Names with "=;, " or control characters, or values with ';' or
// control characters, give 400.
Response cookies_set(const QueryParams& params);

// /cookies: the JSON object of the cookies in the request's Cookie header(s).
Response cookies(const Request& request);

// /redirect?to=PATH&code=C&n=K: a redirect with code C (301|302|303|307|308, default 302) to
// /redirect with n=K-1 while K > 1, else to `to` (default "/"). Bad parameters (or control
// characters in `to`) give 400.
Response redirect(const QueryParams& params);

// /stats: {"requests": N, "by_path": {path: count}}.
Response stats(const RequestStats::Snapshot& snapshot);

}  // namespace stampede::testserver
