// Http1Parser: an incremental HTTP/1.0 and HTTP/1.1 response parser (RFC 9112), one response
// at a time, fed whatever bytes the socket produced.
//
// It writes straight into an HttpResponse: status, proto ("HTTP/1.1"), headers_raw (every header
// line of the final response as received, "Name: value\r\n", followed by chunked trailers, like
// libcurl's header callback) and body (decoded; or only counted when body storage is off).
// Framing: HEAD and 1xx/204/304 without body, Transfer-Encoding: chunked (extensions ignored,
// trailers kept), Content-Length, or read-until-close. Interim 1xx responses (100 Continue) are
// skipped; 101 ends the response without a body and without keep-alive. Errors are values:
// kError with error()/error_message(). The parser keeps its buffers' capacity across reset(), so
// a steady state allocates nothing here. Not thread-safe; owned by one connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/http/http_exchange.h"

namespace stampede {

class Http1Parser {
 public:
  struct Limits {
    size_t max_header_bytes = 64 * 1024;        // status lines + header lines, and the trailers
    int64_t max_body_bytes = int64_t{1} << 30;  // decoded body bytes; beyond: kTooLarge
  };
  enum class Result : uint8_t { kNeedMore, kDone, kError };

  // Prepares for the response to one request. `head_request`: the response has no body.
  // `store_body` false: body bytes are counted (body_bytes()) but not kept.
  void reset(const Limits& limits, bool head_request, bool store_body);

  // Consumes bytes of `data` into `resp`; *consumed says how many belong to this response (fewer
  // than data.size() only once it is complete). kDone: the response is complete. kError: the
  // response is malformed or over a limit; see error().
  Result feed(std::string_view data, HttpResponse* resp, size_t* consumed);

  // The peer closed the connection: completes a read-until-close body (kDone), else kError
  // (kEmptyReply when not one byte arrived, kOther for a truncated response).
  Result finish();

  // After kDone: whether the connection may carry another request (HTTP/1.1 without
  // "Connection: close", HTTP/1.0 with "Connection: keep-alive", length-delimited body).
  bool keep_alive() const { return keep_alive_; }
  // Decoded body bytes seen so far (stored or not).
  int64_t body_bytes() const { return body_bytes_; }
  HttpErrorKind error() const { return error_; }
  // Static text describing the error ("malformed status line"); "" when none.
  const char* error_message() const { return error_message_; }

 private:
  enum class State : uint8_t {
    kStatusLine,
    kHeaders,
    kLengthBody,
    kChunkSize,
    kChunkData,
    kChunkDataEnd,
    kTrailers,
    kCloseBody,
    kDone,
    kError,
  };

  bool take_line(std::string_view data, size_t* used, std::string_view* line);
  void on_line(std::string_view line, HttpResponse* resp);
  void on_status_line(std::string_view content, HttpResponse* resp);
  void on_header_line(std::string_view line, std::string_view content, HttpResponse* resp);
  void on_chunk_size(std::string_view content);
  void on_trailer_line(std::string_view line, std::string_view content, HttpResponse* resp);
  void inspect_header(std::string_view name, std::string_view value);
  void end_of_headers(HttpResponse* resp);
  size_t take_body(std::string_view data, uint64_t limit, HttpResponse* resp);
  void fail(HttpErrorKind kind, const char* message);

  Limits limits_;
  State state_ = State::kStatusLine;
  bool head_request_ = false;
  bool store_body_ = true;
  std::string line_;  // a line split across feeds; keeps its capacity

  // The current response head.
  bool http11_ = false;
  bool interim_ = false;
  bool saw_header_ = false;
  bool has_content_length_ = false;
  bool has_transfer_encoding_ = false;
  bool chunked_ = false;
  bool connection_close_ = false;
  bool connection_keep_alive_ = false;
  uint64_t content_length_ = 0;
  int status_ = 0;

  size_t head_bytes_ = 0;   // status, header and trailer bytes so far
  uint64_t remaining_ = 0;  // of a length-delimited body or of the current chunk
  int64_t body_bytes_ = 0;
  int64_t seen_bytes_ = 0;
  bool keep_alive_ = false;
  HttpErrorKind error_ = HttpErrorKind::kNone;
  const char* error_message_ = "";
};

}  // namespace stampede
