// A small blocking HTTP/1.1 client for loopback: httpGet probes, the fault-knob forwarding of the
// control API, and `stampede ps`/`down`. One request per connection (Connection: close); every
// step bounded by one overall deadline. Thread-safe (no shared state).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace stampede::local {

struct HttpCallResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// Sends `method target` to host:port and reads the whole response (at most `max_body` bytes of
// body are kept). Errors: "connect 127.0.0.1:41000: Connection refused", "timed out after 1000 ms
// waiting for the response", "malformed status line".
Result<HttpCallResult> http_call(const std::string& host, uint16_t port, const std::string& method,
                                 const std::string& target,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 const std::string& body, std::chrono::milliseconds timeout,
                                 size_t max_body = 1 << 20);

}  // namespace stampede::local
