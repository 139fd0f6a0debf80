// Where an HTTP/1.1 request goes, found without DNS: the socket address, the request target and
// the Host header value, for http:// URLs whose host is an IPv4/IPv6 literal or "localhost"
// (which means 127.0.0.1). Anything else is for another transport (https, DNS names).
//
// resolve_http1_target() scans an already-normalized URL in place without allocating, and falls
// back to parse_url() (the one definition of normalization) for anything unusual, so both paths
// send exactly what CurlTransport would. Pure functions; thread-safe.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "engine/http/url.h"

namespace stampede {

struct Http1Target {
  sockaddr_storage address{};
  socklen_t address_len = 0;
  std::string_view target;    // "/path?query": a view into the URL or into the scratch string
  char host_header[64] = {};  // "127.0.0.1:8080", "[::1]:8080"; no port when it is 80
  size_t host_header_len = 0;

  std::string_view host() const { return {host_header, host_header_len}; }
};

// True for http:// URLs whose host is an IP literal or "localhost".
bool http1_supports(const Url& url);

// Fills `out` for `url` (a script's URL, normalized like parse_url does). `scratch` holds the
// request target when the URL needed normalizing; out->target may point into it. Errors: the
// parse_url() message, or "... is not supported by the native HTTP/1.1 transport".
Status resolve_http1_target(std::string_view url, std::string* scratch, Http1Target* out);

}  // namespace stampede
