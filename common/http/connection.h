#pragma once

#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "common/http/server.h"
#include "common/http/server_state.h"

namespace stampede::http::internal {

// One HTTP/1.x connection: reads a request (answering Expect: 100-continue), has the handler
// answer it (inline or on the pool), writes the reply and loops while keep-alive holds.
// Rejects oversize bodies (413), headers (431) and malformed requests (400) and then closes.
// A streamed reply (Reply::stream) is written chunked as its producer writes, and the
// connection closes after it (Connection: close).
// Owned by its pending operations and pool jobs (shared_from_this); every member function but
// post_close() runs on the socket's io thread.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // Creates and registers a connection; call start() on its executor next.
  static std::shared_ptr<Connection> create(boost::asio::ip::tcp::socket socket, Peer peer,
                                            std::shared_ptr<ServerState> state);
  Connection(boost::asio::ip::tcp::socket socket, Peer peer, std::shared_ptr<ServerState> state);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  const boost::asio::any_io_executor& executor() const { return executor_; }
  // Starts reading the first request.
  void start();
  // Closes the connection from any thread (posted to its io thread).
  void post_close();

 private:
  enum class Phase { kReading, kHandling, kWriting, kHanging, kStreaming, kLingering, kClosed };

  void read_header();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_read_error(boost::beast::error_code ec);
  void dispatch();
  void on_reply(Reply reply);
  void write(Response response, bool linger);
  void on_write(boost::beast::error_code ec);
  void watch_hung();
  void start_stream(Reply reply);
  void on_stream_header(boost::beast::error_code ec);
  void pump_stream();
  void on_stream_write(boost::beast::error_code ec);
  void linger_close();
  void drain();
  void close();
  void end_request();

  boost::beast::tcp_stream stream_;
  const boost::asio::any_io_executor executor_;
  const Peer peer_;
  const std::shared_ptr<ServerState> state_;
  uint64_t id_ = 0;
  Phase phase_ = Phase::kReading;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::unique_ptr<Response> response_;  // the response being written
  // A streamed reply: its body, the serializer of its header, and the bytes being written.
  std::shared_ptr<ResponseStream> body_stream_;
  std::unique_ptr<boost::beast::http::response_serializer<boost::beast::http::string_body>>
      header_writer_;
  std::deque<std::string> chunks_;
  std::string wire_;
  bool chunked_ = true;
  bool stream_writing_ = false;
  bool stream_ended_ = false;
  // Facts about the current request that outlive its parser.
  unsigned request_version_ = 11;
  bool request_keep_alive_ = false;
  bool head_ = false;
  bool request_open_ = false;  // counted in ServerState as started, not yet finished
  bool hung_ = false;
  bool close_after_write_ = false;
  bool linger_ = false;  // unread input may follow the rejected request: drain before closing
  // Scratch space for discarding input (hung or lingering connections); allocated when needed.
  std::unique_ptr<std::array<char, 16 * 1024>> drain_buffer_;
  uint64_t drained_ = 0;
};

}  // namespace stampede::http::internal
