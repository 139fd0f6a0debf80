// Test-only: a minimal blocking HTTP/1.x client for the server tests.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/http/server.h"

namespace stampede::http::testing {

// One connection to a loopback address. Every wait is bounded (kTimeout) so a broken server fails
// a test instead of hanging it. Not thread-safe. Errors throw std::runtime_error.
class TestClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;
  static constexpr std::chrono::seconds kTimeout{30};

  // Connects to host:port (a loopback literal); throws when the connection is refused.
  explicit TestClient(uint16_t port, const std::string& host = "127.0.0.1");
  // True when a connection to 127.0.0.1:port is accepted by the kernel.
  static bool can_connect(uint16_t port);

  // Builds an HTTP/1.1 request with Host (and Content-Length when there is a body).
  static Request make_request(boost::beast::http::verb method, const std::string& target,
                              const std::string& body = {}, const Headers& headers = {});
  // Sends a request and reads its response.
  Response request(boost::beast::http::verb method, const std::string& target,
                   const std::string& body = {}, const Headers& headers = {});
  Response get(const std::string& target) { return request(boost::beast::http::verb::get, target); }

  void send(const Request& request);
  void send_raw(const std::string& bytes);
  // Reads one response; `head`: it answers a HEAD request (no body follows).
  Response read(bool head = false);
  // Reads the next raw bytes (at least one); "" on EOF.
  std::string read_some_raw();
  // True when the server closed the connection (EOF or reset) before sending any more bytes.
  bool closed_by_server();
  // Bytes received and not read yet.
  size_t available();
  void close();

 private:
  // Runs the io_context until `done` is set or kTimeout passes (then cancels; throws).
  void run_until(const bool& done, const char* what);

  boost::asio::io_context context_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// Starts a server; throws std::runtime_error with the server's error message.
std::unique_ptr<Server> start_server(ServerOptions options, Handler handler);

// A blocking handler's barrier: the handler calls pass() (counting itself in `entered`) and
// waits until the test calls open(), or for at most a minute so a failing test cannot hang.
class Gate {
 public:
  void pass();
  void open() { release_.set_value(); }
  int entered() const { return entered_.load(); }

 private:
  std::promise<void> release_;
  std::shared_future<void> opened_ = release_.get_future().share();
  std::atomic<int> entered_{0};
};

// Polls `condition` every millisecond for up to `limit`; returns whether it became true.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds(30));

}  // namespace stampede::http::testing
