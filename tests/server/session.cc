#include "tests/server/session.h"

#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <string_view>
#include <utility>

namespace stampede::testserver {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// How long, and how much, we keep reading and discarding after a rejected request.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr std::uint64_t kMaxDrainBytes = 64u << 20;

bool is_http_error(beast::error_code ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

}  // namespace

Session::Session(tcp::socket socket, const Router& router)
    : socket_(std::move(socket)), router_(router), timer_(socket_.get_executor()) {}

void Session::start() {
  read_header();
}

void Session::read_header() {
  parser_.emplace();
  parser_->header_limit(kMaxRequestHeader);
  parser_->body_limit(kMaxRequestBody);
  http::async_read_header(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void Session::on_header(beast::error_code ec) {
  if (ec) return on_read_error(ec);
  // Most requests (GET without a body) are complete here; dispatch without another read.
  if (parser_->is_done()) return dispatch();
  const auto& request = parser_->get();
  if (request.version() >= 11 && beast::iequals(request[http::field::expect], "100-continue")) {
    // libcurl sends Expect: 100-continue for large bodies and otherwise waits ~1 s for this.
    net::async_write(socket_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                       if (write_ec) return self->close();
                       self->read_body();
                     });
    return;
  }
  read_body();
}

void Session::read_body() {
  http::async_read(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
}

void Session::on_body(beast::error_code ec) {
  if (ec) return on_read_error(ec);
  dispatch();
}

void Session::on_read_error(beast::error_code ec) {
  if (ec == net::error::operation_aborted) return;
  if (!is_http_error(ec) || ec == http::error::end_of_stream ||
      ec == http::error::partial_message) {
    return close();
  }
  http::status status = http::status::bad_request;
  if (ec == http::error::body_limit) status = http::status::payload_too_large;
  if (ec == http::error::header_limit) status = http::status::request_header_fields_too_large;
  // The request line may be known even though the header is not done: Beast checks a too-large
  // Content-Length before it calls the header complete. Unparsed, target is empty.
  const auto& partial = parser_->get();
  linger_ = true;
  act(router_.reject(status, partial.version(), to_std(partial.target())));
}

void Session::dispatch() {
  act(router_.route(parser_->get(), StallClock::Clock::now()));
}

void Session::act(Reply reply) {
  // The request (and a body of up to 8 MiB) is no longer needed while we wait or write.
  parser_.reset();
  reply_ = std::move(reply);
  if (!reply_.hold_until) return act_now();
  timer_.expires_at(*reply_.hold_until);
  timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->act_now();
  });
}

void Session::act_now() {
  switch (reply_.disposition) {
    case Disposition::kClose:
      return close();
    case Disposition::kReset:
      return reset();
    case Disposition::kRespond:
      break;
  }
  const bool close_after = !reply_.response.keep_alive();
  http::async_write(socket_, reply_.response,
                    [self = shared_from_this(), close_after](beast::error_code ec, std::size_t) {
                      self->on_write(ec, close_after);
                    });
}

void Session::on_write(beast::error_code ec, bool close_after) {
  if (ec) return close();
  if (!close_after) return read_header();
  // A rejected request may leave unread input behind (e.g. the rest of a 413 body), and so may a
  // client pipelining past a Connection: close.
  if (linger_ || buffer_.size() > 0) return linger_close();
  close();
}

void Session::close() {
  beast::error_code ignored;
  timer_.cancel();
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void Session::reset() {
  beast::error_code ignored;
  timer_.cancel();
  // Linger with a zero timeout makes close() send RST instead of FIN.
  socket_.set_option(net::socket_base::linger(true, 0), ignored);
  socket_.close(ignored);
}

void Session::linger_close() {
  // Closing while the client's data sits unread in our receive buffer sends an RST, which can
  // destroy the response still in flight. Half-close, then read and discard until the client
  // closes, kMaxDrainBytes pass or kLingerTimeout expires.
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  drain_buffer_ = std::make_unique<std::array<char, 64 * 1024>>();
  timer_.expires_after(kLingerTimeout);
  timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->close();
  });
  drain();
}

void Session::drain() {
  socket_.async_read_some(net::buffer(*drain_buffer_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->drained_ += n;
                            if (ec || self->drained_ > kMaxDrainBytes) return self->close();
                            self->drain();
                          });
}

}  // namespace stampede::testserver
