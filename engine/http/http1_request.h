// Serializes an HttpRequest's head for HTTP/1.1 the way CurlTransport's libcurl sends it:
//
//   METHOD target HTTP/1.1        Host, User-Agent and Accept: */* unless the request's headers
//   Host: h[:port]                set them; Cookie from request.cookie; the request's headers in
//   User-Agent: ua                order ("Name:" with an empty value suppresses a default and
//   Accept: */*                   is not sent, "Name;" sends an empty header, as in libcurl);
//   Cookie: c                     for POST or a non-empty body, Content-Length and a default
//   X-Request: header             Content-Type: application/x-www-form-urlencoded.
//   Content-Length: n             GET and HEAD send no body (libcurl's HTTPGET / NOBODY).
//
// No "Connection: keep-alive" (the HTTP/1.1 default). The body itself is not copied. Pure
// function; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/http/http_exchange.h"

namespace stampede {

struct Http1RequestHead {
  bool head_request = false;  // HEAD: the response carries no body
  bool send_body = false;     // request.body follows the head (not for GET and HEAD)
  bool close_after = false;   // the request asked for "Connection: close"
};

// Replaces *out with the head (request line, headers, blank line) of `request`.
Http1RequestHead write_http1_request_head(const HttpRequest& request, std::string_view target,
                                          std::string_view host, std::string_view user_agent,
                                          std::string* out);

}  // namespace stampede
