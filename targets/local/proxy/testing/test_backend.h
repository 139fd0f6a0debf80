// Test-only: a TCP server standing in for a pod behind the proxy, on 127.0.0.1 (port 0), served
// by its own io thread. Each connection first sends the greeting (if any), then:
//  - echo mode (default): writes back every byte it reads; on EOF it writes the rest and then
//    half-closes, so a client's shutdown(SHUT_WR) comes back as EOF;
//  - half_close_first: shuts down its write side right after the greeting and records what it
//    reads until EOF (received()).
// A connection whose input contains `reset_trigger` is reset (SO_LINGER 0) at once. A silent
// backend holds its connections without reading them.
// Counters are safe to read from any thread; stop() (or the destructor) joins the thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace stampede::local::testing {

struct BackendOptions {
  std::string greeting;  // sent first on every connection, e.g. "a\n"
  bool half_close_first = false;
  std::string reset_trigger;  // empty: never
  bool silent = false;        // accepts, then neither reads nor writes (a stuck process)

  static BackendOptions greets(std::string text) {
    BackendOptions options;
    options.greeting = std::move(text);
    return options;
  }
};

class TestBackend {
 public:
  // Binds 127.0.0.1:0 and serves; throws std::runtime_error when it cannot.
  TestBackend() : TestBackend(BackendOptions{}) {}
  explicit TestBackend(BackendOptions options);
  TestBackend(const TestBackend&) = delete;
  TestBackend& operator=(const TestBackend&) = delete;
  ~TestBackend();

  uint16_t port() const { return port_; }
  uint64_t accepted() const { return accepted_.load(); }
  uint64_t bytes_received() const { return bytes_received_.load(); }
  // Connections that ended with a reset from the peer (ECONNRESET on read or write).
  uint64_t resets_seen() const { return resets_seen_.load(); }
  // Connections that ended with EOF from the peer.
  uint64_t eofs_seen() const { return eofs_seen_.load(); }
  // half_close_first: every byte read so far, all connections in the order they arrived.
  std::string received() const;
  // Stops accepting, drops every connection and joins the thread. Idempotent.
  void stop();

 private:
  class Session;
  void accept();

  const BackendOptions options_;
  boost::asio::io_context io_{1};
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> bytes_received_{0};
  std::atomic<uint64_t> resets_seen_{0};
  std::atomic<uint64_t> eofs_seen_{0};
  mutable std::mutex mu_;
  std::string received_;                            // guarded by mu_
  std::vector<boost::asio::ip::tcp::socket> held_;  // silent mode; io thread
  std::thread thread_;
};

}  // namespace stampede::local::testing
