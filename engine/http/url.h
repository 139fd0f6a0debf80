// Absolute http/https URLs: parsing, reference resolution (redirects) and form encoding.
//
// parse_url() accepts what a script passes to http.get() and normalizes it the way curl would
// send it: scheme and host lowercased, default port filled in, empty path made "/", dot segments
// removed, the fragment dropped, and bytes that may not appear raw in a request target
// (non-ASCII, '"', '<', '>', '\\', '^', '`', '{', '|', '}') percent-encoded. Userinfo
// ("http://user:pw@host/") is rejected with an error rather than silently dropped: credentials
// belong in an Authorization header, and ignoring them would make a script quietly send
// unauthenticated requests. Pure functions, no allocation beyond the returned strings;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace stampede {

// A parsed absolute http(s) URL. Always normalized when produced by parse_url().
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // lowercased; an IPv6 literal without its brackets ("::1")
  uint16_t port = 0;   // explicit port, or 80 / 443 by scheme
  std::string path;    // starts with '/'; percent-encoding kept as given
  std::string query;   // after '?', without it; empty when absent

  // True for https.
  bool secure() const { return scheme == "https"; }
  // True when host is an IPv4 or IPv6 literal (cookies treat those as host-only).
  bool host_is_ip() const;
  // "host", "host:8080" or "[::1]:8080"; the port is omitted when it is the scheme default.
  std::string authority() const;
  // The request target: path plus "?query" when a query is present.
  std::string target() const;
  // The full URL, "scheme://authority/path?query".
  std::string to_string() const;
};

// Parses an absolute http/https URL. Errors read "invalid URL 'x': missing scheme" (also:
// unsupported scheme, missing '//', missing host, userinfo not supported, invalid port,
// invalid character in host, whitespace or control character).
Result<Url> parse_url(std::string_view text);

// Resolves a redirect Location (absolute, scheme-relative, absolute-path, relative-path or
// query-only, with dot segments) against `base` per RFC 3986 section 5.2, and returns the
// normalized absolute URL. Errors as parse_url() for the resulting URL.
Result<std::string> resolve_reference(const Url& base, std::string_view location);

// Encodes one application/x-www-form-urlencoded component: ALPHA / DIGIT / "*-._" stay, space
// becomes '+', every other byte becomes %XX (uppercase hex).
std::string url_encode(std::string_view component);

// Encodes name/value pairs as "a=1&b=two+words", in the given order.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

// RFC 3986 section 5.2.4: removes "." and ".." segments from an absolute path.
std::string remove_dot_segments(std::string_view path);

}  // namespace stampede
