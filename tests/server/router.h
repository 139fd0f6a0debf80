#pragma once

#include <optional>
#include <string_view>

#include "tests/server/handlers.h"
#include "tests/server/request_stats.h"
#include "tests/server/stall_clock.h"

namespace stampede::testserver {

// What a Session does with a routed request.
enum class Disposition {
  kRespond,  // write `response`
  kClose,    // close the connection without a response (/close)
  kReset,    // abort the connection with a TCP RST (/reset)
};

// The outcome of routing one request.
struct Reply {
  Disposition disposition = Disposition::kRespond;
  Response response;
  // When set, act no earlier than this (stall window end plus delay_ms).
  std::optional<StallClock::Clock::time_point> hold_until;
};

// Maps a request to a Reply: counts it in RequestStats (all paths but /stats and /stats/reset),
// applies stall and delay_ms, runs the route, then status and bytes, and finally sets version,
// keep-alive and Content-Length (kept, body dropped, for HEAD). Holds references to the
// Server's clock and stats, which must outlive it. Const and thread-safe.
class Router {
 public:
  Router(const StallClock& clock, RequestStats& stats) : clock_(clock), stats_(stats) {}

  // Routes a fully read request that arrived at `now`. Never throws for client input: bad
  // parameters become 400 responses.
  Reply route(const Request& request, StallClock::Clock::time_point now) const;

  // A reply for a request that could not be read whole (413 for an oversized body, 400 for a
  // malformed one). Counted under the path of `target` when it is non-empty. Always asks the
  // session to close afterwards (Connection: close).
  Reply reject(boost::beast::http::status status, unsigned version, std::string_view target) const;

 private:
  Response route_path(const Request& request, std::string_view path, std::string_view query,
                      const QueryParams& params, Disposition& disposition) const;

  const StallClock& clock_;
  RequestStats& stats_;
};

}  // namespace stampede::testserver
