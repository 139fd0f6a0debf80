#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <memory>
#include <optional>

#include "tests/server/router.h"

namespace stampede::testserver {

// One HTTP/1.x connection: reads a request (header first, answering Expect: 100-continue), asks
// the Router for a Reply, holds it on a timer if asked, writes it, and loops while keep-alive
// holds. Owned by its own pending handlers (shared_from_this); lives on the io_context of its
// socket and is touched only from that context's thread. The Router must outlive it.
class Session : public std::enable_shared_from_this<Session> {
 public:
  // Largest request body read; a larger one gets 413 and the connection is closed.
  static constexpr std::uint64_t kMaxRequestBody = 8u << 20;
  // Largest request header block; a larger one gets 431 and the connection is closed.
  static constexpr std::uint32_t kMaxRequestHeader = 64u << 10;

  Session(boost::asio::ip::tcp::socket socket, const Router& router);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts reading the first request. Call once, on the socket's executor.
  void start();

 private:
  void read_header();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_body(boost::beast::error_code ec);
  void on_read_error(boost::beast::error_code ec);
  void dispatch();
  void act(Reply reply);
  void act_now();
  void on_write(boost::beast::error_code ec, bool close);
  void close();
  void reset();
  void linger_close();
  void drain();

  boost::asio::ip::tcp::socket socket_;
  const Router& router_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  Reply reply_;
  boost::asio::steady_timer timer_;
  // Scratch space for discarding unread input before closing; allocated only when needed.
  std::unique_ptr<std::array<char, 64 * 1024>> drain_buffer_;
  std::uint64_t drained_ = 0;
  bool linger_ = false;  // the request was rejected unread: drain before closing
};

}  // namespace stampede::testserver
