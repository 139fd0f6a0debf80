#include "engine/http/http1_parser.h"

#include <algorithm>
#include <cstring>

namespace stampede {
namespace {

// Chunk-size lines carry extensions we ignore; bound them so a peer cannot grow line_ forever.
constexpr size_t kMaxChunkLine = 4096;
// A Content-Length body is reserved up to this size at once; larger ones grow as they arrive.
constexpr uint64_t kMaxReserve = 64 * 1024 * 1024;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 9110 tchar.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c)) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The line without its "\n" or "\r\n".
std::string_view strip_eol(std::string_view line) {
  line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Calls fn(token) for each trimmed, non-empty element of a comma-separated list.
template <typename Fn>
void for_each_token(std::string_view list, Fn fn) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view token = trim(list.substr(0, comma));
    if (!token.empty()) fn(token);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

void Http1Parser::reset(const Limits& limits, bool head_request, bool store_body) {
  limits_ = limits;
  state_ = State::kStatusLine;
  head_request_ = head_request;
  store_body_ = store_body;
  line_.clear();
  interim_ = false;
  head_bytes_ = 0;
  remaining_ = 0;
  body_bytes_ = 0;
  seen_bytes_ = 0;
  keep_alive_ = false;
  error_ = HttpErrorKind::kNone;
  error_message_ = "";
}

void Http1Parser::fail(HttpErrorKind kind, const char* message) {
  state_ = State::kError;
  error_ = kind;
  error_message_ = message;
  keep_alive_ = false;
}

Http1Parser::Result Http1Parser::feed(std::string_view data, HttpResponse* resp, size_t* consumed) {
  size_t pos = 0;
  while (pos < data.size() && state_ != State::kDone && state_ != State::kError) {
    std::string_view rest = data.substr(pos);
    switch (state_) {
      case State::kLengthBody:
        pos += take_body(rest, remaining_, resp);
        if (state_ != State::kError && remaining_ == 0) state_ = State::kDone;
        break;
      case State::kChunkData:
        pos += take_body(rest, remaining_, resp);
        if (state_ != State::kError && remaining_ == 0) state_ = State::kChunkDataEnd;
        break;
      case State::kCloseBody:
        pos += take_body(rest, UINT64_MAX, resp);
        break;
      default: {
        size_t used = 0;
        std::string_view line;
        bool complete = take_line(rest, &used, &line);
        if (state_ == State::kError) break;
        pos += used;
        if (complete) {
          on_line(line, resp);
          line_.clear();
        }
      }
    }
  }
  seen_bytes_ += static_cast<int64_t>(pos);
  *consumed = pos;
  if (state_ == State::kDone) return Result::kDone;
  return state_ == State::kError ? Result::kError : Result::kNeedMore;
}

size_t Http1Parser::take_body(std::string_view data, uint64_t limit, HttpResponse* resp) {
  size_t n = static_cast<size_t>(std::min<uint64_t>(data.size(), limit));
  if (body_bytes_ + static_cast<int64_t>(n) > limits_.max_body_bytes) {
    fail(HttpErrorKind::kTooLarge, "response body exceeds the size limit");
    return 0;
  }
  if (store_body_) resp->body.append(data.data(), n);
  body_bytes_ += static_cast<int64_t>(n);
  if (limit != UINT64_MAX) remaining_ -= n;
  return n;
}

bool Http1Parser::take_line(std::string_view data, size_t* used, std::string_view* line) {
  bool in_head =
      state_ == State::kStatusLine || state_ == State::kHeaders || state_ == State::kTrailers;
  size_t limit = in_head ? limits_.max_header_bytes - head_bytes_ : kMaxChunkLine;
  const void* nl = std::memchr(data.data(), '\n', data.size());
  size_t n = nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - data.data()) + 1
                           : data.size();
  if (line_.size() + n > limit) {
    fail(HttpErrorKind::kTooLarge,
         in_head ? "response headers exceed the size limit" : "chunk size line too long");
    return false;
  }
  *used = n;
  if (nl == nullptr) {
    line_.append(data.data(), n);
    return false;
  }
  if (line_.empty()) {
    *line = data.substr(0, n);
  } else {
    line_.append(data.data(), n);
    *line = line_;
  }
  if (in_head) head_bytes_ += line->size();
  return true;
}

void Http1Parser::on_line(std::string_view line, HttpResponse* resp) {
  std::string_view content = strip_eol(line);
  switch (state_) {
    case State::kStatusLine:
      // RFC 9112 section 2.2: empty lines before the status line are ignored.
      if (!content.empty()) on_status_line(content, resp);
      break;
    case State::kHeaders:
      on_header_line(line, content, resp);
      break;
    case State::kChunkSize:
      on_chunk_size(content);
      break;
    case State::kChunkDataEnd:
      if (!content.empty()) return fail(HttpErrorKind::kOther, "malformed chunked body");
      state_ = State::kChunkSize;
      break;
    case State::kTrailers:
      on_trailer_line(line, content, resp);
      break;
    default:
      break;
  }
}

void Http1Parser::on_status_line(std::string_view content, HttpResponse* resp) {
  // "HTTP/1.1 200 OK"; the reason phrase may be empty or absent.
  if (content.size() < 12 || content.substr(0, 7) != "HTTP/1." || content[8] != ' ') {
    return fail(HttpErrorKind::kOther, "malformed status line");
  }
  if (content[7] != '0' && content[7] != '1') {
    return fail(HttpErrorKind::kOther, "unsupported HTTP version");
  }
  if (!is_digit(content[9]) || !is_digit(content[10]) || !is_digit(content[11]) ||
      content[9] == '0' || (content.size() > 12 && content[12] != ' ')) {
    return fail(HttpErrorKind::kOther, "malformed status line");
  }
  status_ = (content[9] - '0') * 100 + (content[10] - '0') * 10 + (content[11] - '0');
  http11_ = content[7] == '1';
  interim_ = status_ < 200 && status_ != 101;
  saw_header_ = has_content_length_ = has_transfer_encoding_ = chunked_ = false;
  connection_close_ = connection_keep_alive_ = false;
  content_length_ = 0;
  resp->headers_raw.clear();  // only the final response's headers count
  resp->status = status_;
  resp->proto.assign(content.data(), 8);
  state_ = State::kHeaders;
}

void Http1Parser::on_header_line(std::string_view line, std::string_view content,
                                 HttpResponse* resp) {
  if (content.empty()) return end_of_headers(resp);
  if (content[0] == ' ' || content[0] == '\t') {
    // Obsolete line folding continues the previous header; kept raw, as libcurl does.
    if (!saw_header_) return fail(HttpErrorKind::kOther, "malformed header line");
    resp->headers_raw.append(line);
    return;
  }
  size_t colon = content.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return fail(HttpErrorKind::kOther, "malformed header line");
  }
  std::string_view name = content.substr(0, colon);
  for (char c : name) {
    if (!is_token_char(c)) return fail(HttpErrorKind::kOther, "malformed header name");
  }
  inspect_header(name, trim(content.substr(colon + 1)));
  if (state_ == State::kError) return;
  saw_header_ = true;
  resp->headers_raw.append(line);
}

void Http1Parser::inspect_header(std::string_view name, std::string_view value) {
  if (iequals(name, "content-length")) {
    bool ok = !value.empty();
    for_each_token(value, [&](std::string_view token) {
      uint64_t n = 0;
      if (token.size() > 18) ok = false;
      for (char c : token) {
        if (!is_digit(c)) ok = false;
        n = n * 10 + static_cast<uint64_t>(c - '0');
      }
      // Repeated values are allowed when they agree (RFC 9110 section 8.6).
      if (has_content_length_ && n != content_length_) ok = false;
      has_content_length_ = true;
      content_length_ = n;
    });
    if (!ok || !has_content_length_) fail(HttpErrorKind::kOther, "invalid Content-Length");
  } else if (iequals(name, "transfer-encoding")) {
    has_transfer_encoding_ = true;
    chunked_ = false;
    for_each_token(value, [&](std::string_view token) { chunked_ = iequals(token, "chunked"); });
  } else if (iequals(name, "connection")) {
    for_each_token(value, [&](std::string_view token) {
      if (iequals(token, "close")) connection_close_ = true;
      if (iequals(token, "keep-alive")) connection_keep_alive_ = true;
    });
  }
}

void Http1Parser::end_of_headers(HttpResponse* resp) {
  if (interim_) {  // e.g. 100 Continue: the real response follows
    state_ = State::kStatusLine;
    return;
  }
  keep_alive_ = http11_ ? !connection_close_ : connection_keep_alive_ && !connection_close_;
  if (status_ == 101) {  // the connection now speaks another protocol; we asked for none
    keep_alive_ = false;
    state_ = State::kDone;
  } else if (head_request_ || status_ == 204 || status_ == 304) {
    state_ = State::kDone;
  } else if (has_transfer_encoding_) {
    // RFC 9112 section 6.3: Transfer-Encoding wins over Content-Length, and a response with
    // both must not be followed by another on this connection.
    if (has_content_length_) keep_alive_ = false;
    state_ = chunked_ ? State::kChunkSize : State::kCloseBody;
    if (!chunked_) keep_alive_ = false;
  } else if (has_content_length_) {
    if (content_length_ > static_cast<uint64_t>(limits_.max_body_bytes)) {
      return fail(HttpErrorKind::kTooLarge, "response body exceeds the size limit");
    }
    remaining_ = content_length_;
    if (store_body_) resp->body.reserve(std::min(content_length_, kMaxReserve));
    state_ = remaining_ == 0 ? State::kDone : State::kLengthBody;
  } else {
    keep_alive_ = false;
    state_ = State::kCloseBody;
  }
}

void Http1Parser::on_chunk_size(std::string_view content) {
  // chunk-size [ BWS ";" chunk-ext ]
  uint64_t size = 0;
  size_t i = 0;
  for (; i < content.size() && hex_value(content[i]) >= 0; ++i) {
    if (i >= 15) return fail(HttpErrorKind::kOther, "chunk size too large");
    size = size * 16 + static_cast<uint64_t>(hex_value(content[i]));
  }
  std::string_view ext = trim(content.substr(i));
  if (i == 0 || (!ext.empty() && ext[0] != ';')) {
    return fail(HttpErrorKind::kOther, "malformed chunk size");
  }
  if (size == 0) {
    state_ = State::kTrailers;
    return;
  }
  if (body_bytes_ + static_cast<int64_t>(size) > limits_.max_body_bytes) {
    return fail(HttpErrorKind::kTooLarge, "response body exceeds the size limit");
  }
  remaining_ = size;
  state_ = State::kChunkData;
}

void Http1Parser::on_trailer_line(std::string_view line, std::string_view content,
                                  HttpResponse* resp) {
  if (content.empty()) {
    state_ = State::kDone;
    return;
  }
  size_t colon = content.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return fail(HttpErrorKind::kOther, "malformed trailer line");
  }
  resp->headers_raw.append(line);  // libcurl hands trailers to the header callback too
}

Http1Parser::Result Http1Parser::finish() {
  switch (state_) {
    case State::kDone:
      return Result::kDone;
    case State::kError:
      return Result::kError;
    case State::kCloseBody:
      state_ = State::kDone;
      keep_alive_ = false;
      return Result::kDone;
    case State::kStatusLine:
      if (seen_bytes_ == 0) {
        fail(HttpErrorKind::kEmptyReply, "empty reply from server");
        return Result::kError;
      }
      [[fallthrough]];
    case State::kHeaders:
      fail(HttpErrorKind::kOther, "connection closed before the response headers were complete");
      return Result::kError;
    default:
      fail(HttpErrorKind::kOther, "connection closed before the response body was complete");
      return Result::kError;
  }
}

}  // namespace stampede
