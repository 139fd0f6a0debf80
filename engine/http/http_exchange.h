// One HTTP request and its response: the unit a Transport works on.
//
// Exchanges are pooled by their owner (a worker) and reused, so their strings keep their
// capacity and a steady-state request allocates nothing here. Not thread-safe: an exchange
// belongs to the worker thread that started it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/clock.h"

namespace stampede {

// Why a request produced no HTTP response. Counted and tagged by category, not logged.
enum class HttpErrorKind {
  kNone,
  kConnectionRefused,
  kConnectionReset,
  kTimeout,
  kDns,
  kEmptyReply,
  kTls,
  kTooLarge,
  kInvalidUrl,
  kCancelled,
  kOther,
};

// Short stable text for the `error` tag ("connection refused").
const char* http_error_name(HttpErrorKind kind);
// k6's error code for the category (1212 for connection refused, ...), 0 for kNone.
int http_error_code(HttpErrorKind kind);

// Phases of one request in nanoseconds, with k6's meanings. duration = sending + waiting +
// receiving (connection setup excluded, as in k6).
struct HttpTimings {
  Nanos blocked = 0;
  Nanos connecting = 0;
  Nanos tls_handshaking = 0;
  Nanos sending = 0;
  Nanos waiting = 0;
  Nanos receiving = 0;
  Nanos duration = 0;
  Nanos started_at = 0;   // monotonic time the transport began the request
  Nanos finished_at = 0;  // monotonic time the response was complete
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::string body;
  std::vector<std::string> headers;  // "Name: value"
  std::string cookie;                // Cookie header value; empty for none
  Nanos timeout = 60 * kNanosPerSecond;
  bool discard_body = false;

  void clear() {
    method = "GET";
    url.clear();
    body.clear();
    headers.clear();
    cookie.clear();
    timeout = 60 * kNanosPerSecond;
    discard_body = false;
  }
};

struct HttpResponse {
  int status = 0;           // 0 when there was no response (see error)
  std::string proto;        // "HTTP/1.1"
  std::string headers_raw;  // the final response's header lines, "Name: value\r\n" each
  std::string body;
  int64_t bytes_sent = 0;
  int64_t bytes_received = 0;
  HttpErrorKind error = HttpErrorKind::kNone;
  std::string error_message;  // transport detail for the script, empty when no error
  HttpTimings timings;

  void clear() {
    status = 0;
    proto.clear();
    headers_raw.clear();
    body.clear();
    bytes_sent = bytes_received = 0;
    error = HttpErrorKind::kNone;
    error_message.clear();
    timings = HttpTimings{};
  }
};

struct HttpExchange {
  HttpRequest request;
  HttpResponse response;
  uint64_t owner_token = 0;          // for the owner: which VU and request this is
  void* transport_handle = nullptr;  // owned by the transport while in flight
};

}  // namespace stampede
