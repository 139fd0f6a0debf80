// CookieJar: one virtual user's cookies (RFC 6265 subset).
//
// Every VU owns one jar, so an empty jar is one vector and a counter and allocates nothing until
// the first cookie arrives; lookups are linear scans, which beat maps for the handful of cookies
// a session holds. Supported: Domain (host-only vs domain-match), Path (default-path rule),
// Expires (RFC 6265 section 5.1.1 date parsing: IMF-fixdate, RFC 850, asctime and common
// variants), Max-Age (wins over Expires; <= 0 deletes), Secure, HttpOnly (stored only: a load
// generator is not a browser, so it sends HttpOnly cookies like any other). Not supported: the
// public suffix list (a Domain=com cookie is accepted), SameSite, cookie prefixes.
// Not thread-safe: a jar belongs to its VU's worker thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/http/url.h"

namespace stampede {

class CookieJar {
 public:
  // One stored cookie; public so tests and a future jar API can inspect it.
  struct Cookie {
    std::string name;
    std::string value;
    std::string domain;          // lowercased, no leading '.'
    std::string path;            // starts with '/'
    int64_t expires = kSession;  // unix seconds; expired when <= now
    bool host_only = true;       // sent only to exactly `domain`, not its subdomains
    bool secure = false;
    bool http_only = false;
  };
  static constexpr int64_t kSession = INT64_MAX;  // expiry of a cookie without Expires/Max-Age
  // Upper bound on cookies per jar; storing one more evicts the oldest.
  static constexpr size_t kMaxCookies = 1000;
  // Upper bound on name + value bytes; larger cookies are rejected.
  static constexpr size_t kMaxCookieBytes = 4096;

  CookieJar() = default;

  // Stores the cookie from one Set-Cookie header value received for `request_url` at
  // `now_unix_seconds`, replacing any cookie with the same name, domain and path (the replaced
  // cookie's position, i.e. creation order, is kept). An expired cookie deletes its match.
  // Malformed values or a Domain the request host does not match are ignored and counted in
  // rejected().
  void store(std::string_view set_cookie_value, const Url& request_url, int64_t now_unix_seconds);

  // The Cookie header value for a request to `url` at `now_unix`: "a=1; b=2", cookies with
  // longer paths first, then in creation order; empty when no cookie matches.
  std::string header_for(const Url& url, int64_t now_unix) const;

  // Sets a session cookie sent to `domain` and its subdomains for paths under `path` ("/" when
  // empty). An empty name or domain is ignored and counted in rejected().
  void set(std::string name, std::string value, std::string domain, std::string path);

  // Removes every cookie (the rejected() count is kept).
  void clear() { cookies_.clear(); }

  // Number of stored cookies, including ones that expired but were not yet purged.
  size_t size() const { return cookies_.size(); }

  // Number of Set-Cookie values (and set() calls) ignored as malformed or not allowed.
  uint64_t rejected() const { return rejected_; }

  // The stored cookies, in creation order.
  const std::vector<Cookie>& cookies() const { return cookies_; }

 private:
  void insert(Cookie cookie, int64_t now_unix);

  std::vector<Cookie> cookies_;
  uint64_t rejected_ = 0;
};

// RFC 6265 section 5.1.1: parses a cookie-date ("Sun, 06 Nov 1994 08:49:37 GMT" and the
// variants browsers accept) into unix seconds; false when it is not a valid date.
bool parse_cookie_date(std::string_view text, int64_t* unix_seconds);

}  // namespace stampede
