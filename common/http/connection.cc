#include "common/http/connection.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <utility>

namespace stampede::http::internal {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// After a rejected request we read and discard for at most this long / this much, so that the
// close does not become an RST that destroys the error response in flight.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr uint64_t kMaxDrainBytes = 8u << 20;

bool is_http_error(beast::error_code ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

bool asks_to_close(const Response& response) {
  for (const auto& token : bhttp::token_list(response[bhttp::field::connection])) {
    if (beast::iequals(token, "close")) return true;
  }
  return false;
}

Response error_response(bhttp::status status, std::string body) {
  Response response(status, 11);
  response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  response.body() = std::move(body);
  return response;
}

}  // namespace

std::shared_ptr<Connection> Connection::create(tcp::socket socket, Peer peer,
                                               std::shared_ptr<ServerState> state) {
  auto connection = std::make_shared<Connection>(std::move(socket), peer, std::move(state));
  connection->id_ = connection->state_->add_connection(connection);
  return connection;
}

Connection::Connection(tcp::socket socket, Peer peer, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)),
      executor_(stream_.get_executor()),
      peer_(std::move(peer)),
      state_(std::move(state)) {}

Connection::~Connection() {
  // Reached without close() when the io threads stopped with work pending.
  if (body_stream_) body_stream_->disconnect();
  end_request();
  state_->remove_connection(id_);
}

void Connection::start() {
  read_header();
}

void Connection::post_close() {
  net::post(executor_, [self = shared_from_this()] { self->close(); });
}

void Connection::read_header() {
  if (state_->closed()) return close();
  phase_ = Phase::kReading;
  const ServerOptions& options = state_->options();
  parser_.emplace();
  parser_->header_limit(options.max_header);
  parser_->body_limit(options.max_body);
  // One deadline covers the idle wait, the header, the 100-continue and the body.
  stream_.expires_after(options.idle_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void Connection::on_header(beast::error_code ec) {
  if (phase_ == Phase::kClosed) return;
  if (ec) return on_read_error(ec);
  // Most requests (GET without a body) are complete here.
  if (parser_->is_done()) return dispatch();
  const Request& request = parser_->get();
  if (request.version() >= 11 && beast::iequals(request[bhttp::field::expect], "100-continue")) {
    // Clients sending Expect: 100-continue wait (curl: 1 s) for this before sending the body.
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                       if (self->phase_ == Phase::kClosed) return;
                       if (write_ec) return self->close();
                       self->read_body();
                     });
    return;
  }
  read_body();
}

void Connection::read_body() {
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (self->phase_ == Phase::kClosed) return;
                      if (ec) return self->on_read_error(ec);
                      self->dispatch();
                    });
}

void Connection::on_read_error(beast::error_code ec) {
  // Timeouts, resets, and a client closing between or in the middle of requests: just close.
  if (!is_http_error(ec) || ec == bhttp::error::end_of_stream ||
      ec == bhttp::error::partial_message) {
    return close();
  }
  bhttp::status status = bhttp::status::bad_request;
  std::string body = "malformed request\n";
  if (ec == bhttp::error::body_limit) {
    status = bhttp::status::payload_too_large;
    body = "request body too large\n";
  } else if (ec == bhttp::error::header_limit) {
    status = bhttp::status::request_header_fields_too_large;
    body = "request header too large\n";
  }
  parser_.reset();
  request_version_ = 11;
  request_keep_alive_ = false;
  head_ = false;
  state_->request_started();
  request_open_ = true;
  write(error_response(status, std::move(body)), /*linger=*/true);
}

void Connection::dispatch() {
  const Request& request = parser_->get();
  request_version_ = request.version();
  request_keep_alive_ = request.keep_alive();
  head_ = request.method() == bhttp::verb::head;
  phase_ = Phase::kHandling;
  stream_.expires_never();
  state_->request_started();
  request_open_ = true;

  HandlerPool* pool = state_->pool();
  if (pool == nullptr) {
    Reply reply = state_->call_handler(request, peer_);
    parser_.reset();
    return on_reply(std::move(reply));
  }
  auto job = [self = shared_from_this(), request = parser_->release()] {
    Reply reply = self->state_->call_handler(request, self->peer_);
    // Back to the connection's own thread: the socket is not shared with the pool.
    net::post(self->executor_,
              [self, reply = std::move(reply)]() mutable { self->on_reply(std::move(reply)); });
  };
  parser_.reset();
  if (!pool->try_submit(std::move(job))) {
    on_reply(Reply{error_response(bhttp::status::service_unavailable, "server busy\n")});
  }
}

void Connection::on_reply(Reply reply) {
  if (phase_ == Phase::kClosed) {
    // Nobody will read this stream: tell its producer at once.
    if (reply.stream) reply.stream->disconnect();
    return;
  }
  if (reply.stream) return start_stream(std::move(reply));
  if (reply.hang) {
    hung_ = true;
    state_->request_hung();
    phase_ = Phase::kHanging;
    return watch_hung();
  }
  write(std::move(reply.response), /*linger=*/false);
}

void Connection::write(Response response, bool linger) {
  const bool close_after = linger || !request_keep_alive_ || state_->stopping() ||
                           asks_to_close(response) || state_->closed();
  response.version(request_version_);
  response.keep_alive(!close_after);
  const unsigned status = response.result_int();
  if (status / 100 == 1 || status == 204) {
    response.body().clear();
    response.erase(bhttp::field::content_length);
    response.erase(bhttp::field::transfer_encoding);
  } else if (status == 304) {
    response.body().clear();
    response.erase(bhttp::field::transfer_encoding);
  } else if (head_) {
    // HEAD: the headers a GET would have, Content-Length included, and no body.
    response.erase(bhttp::field::transfer_encoding);
    if (!response.has_content_length()) response.content_length(response.body().size());
    response.body().clear();
  } else {
    response.prepare_payload();
  }
  response_ = std::make_unique<Response>(std::move(response));
  phase_ = Phase::kWriting;
  close_after_write_ = close_after;
  linger_ = linger;
  stream_.expires_after(state_->options().idle_timeout);
  bhttp::async_write(
      stream_, *response_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void Connection::on_write(beast::error_code ec) {
  if (phase_ == Phase::kClosed) return;
  response_.reset();
  end_request();
  if (ec) return close();
  if (!close_after_write_) return read_header();
  // A client may have pipelined past a Connection: close, or sent a body we refused.
  if (linger_ || buffer_.size() > 0) return linger_close();
  close();
}

void Connection::watch_hung() {
  // The request stays unanswered; reading only tells us when the client gives up.
  if (!drain_buffer_) drain_buffer_ = std::make_unique<std::array<char, 16 * 1024>>();
  stream_.expires_never();
  stream_.async_read_some(net::buffer(*drain_buffer_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (self->phase_ == Phase::kClosed) return;
                            if (ec) return self->close();
                            self->watch_hung();
                          });
}

void Connection::start_stream(Reply reply) {
  body_stream_ = std::move(reply.stream);
  // HTTP/1.0 has no chunked encoding: the body then ends where the connection does.
  chunked_ = request_version_ >= 11;
  Response& response = reply.response;
  response.version(request_version_);
  response.keep_alive(false);
  response.body().clear();
  response.erase(bhttp::field::content_length);
  if (chunked_) {
    response.chunked(true);
  } else {
    response.erase(bhttp::field::transfer_encoding);
  }
  response_ = std::make_unique<Response>(std::move(response));
  // Like a hung request, a stream may last for ever: a graceful shutdown does not wait for it.
  hung_ = true;
  state_->request_hung();
  phase_ = Phase::kStreaming;
  header_writer_ = std::make_unique<bhttp::response_serializer<bhttp::string_body>>(*response_);
  stream_.expires_after(state_->options().idle_timeout);
  bhttp::async_write_header(stream_, *header_writer_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_stream_header(ec);
                            });
}

void Connection::on_stream_header(beast::error_code ec) {
  if (phase_ == Phase::kClosed) return;
  header_writer_.reset();
  if (ec) return close();
  if (head_) {
    body_stream_->disconnect();
    end_request();
    return close();
  }
  // Reading tells us when the client goes away; anything it sends meanwhile is dropped (the
  // connection closes after the stream).
  watch_hung();
  std::weak_ptr<Connection> weak = weak_from_this();
  auto executor = executor_;
  body_stream_->attach([weak, executor] {
    net::post(executor, [weak] {
      if (auto self = weak.lock()) self->pump_stream();
    });
  });
}

void Connection::pump_stream() {
  if (phase_ != Phase::kStreaming || stream_writing_) return;
  bool ended = body_stream_->take(chunks_);
  if (chunks_.empty() && !ended) return;
  wire_.clear();
  char size[24];
  for (const std::string& chunk : chunks_) {
    if (chunked_) {
      std::snprintf(size, sizeof(size), "%zx\r\n", chunk.size());
      wire_ += size;
    }
    wire_ += chunk;
    if (chunked_) wire_ += "\r\n";
  }
  chunks_.clear();
  if (ended && chunked_) wire_ += "0\r\n\r\n";
  stream_ended_ = ended;
  stream_writing_ = true;
  stream_.expires_after(state_->options().idle_timeout);
  net::async_write(stream_, net::buffer(wire_),
                   [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                     self->on_stream_write(write_ec);
                   });
}

void Connection::on_stream_write(beast::error_code ec) {
  stream_writing_ = false;
  if (phase_ == Phase::kClosed) return;
  if (ec) return close();
  if (!stream_ended_) return pump_stream();
  // The body is complete: half-close so the client sees the end; the reader started in
  // on_stream_header closes the connection when the client closes its side.
  end_request();
  phase_ = Phase::kLingering;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

void Connection::linger_close() {
  // Closing with unread input in the receive buffer sends an RST, which can destroy the
  // response still in flight. Half-close, then discard until the client closes, kMaxDrainBytes
  // pass or kLingerTimeout expires.
  phase_ = Phase::kLingering;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  drain_buffer_ = std::make_unique<std::array<char, 16 * 1024>>();
  stream_.expires_after(kLingerTimeout);
  drain();
}

void Connection::drain() {
  stream_.async_read_some(net::buffer(*drain_buffer_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            if (self->phase_ == Phase::kClosed) return;
                            self->drained_ += n;
                            if (ec || self->drained_ > kMaxDrainBytes) return self->close();
                            self->drain();
                          });
}

void Connection::close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  if (body_stream_) body_stream_->disconnect();
  end_request();
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

void Connection::end_request() {
  if (!request_open_) return;
  request_open_ = false;
  state_->request_finished(hung_);
  hung_ = false;
}

}  // namespace stampede::http::internal
