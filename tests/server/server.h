#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/listener.h"
#include "tests/server/request_stats.h"
#include "tests/server/router.h"
#include "tests/server/stall_clock.h"

namespace stampede::testserver {

struct ServerOptions {
  std::string bind = "127.0.0.1";  // must be a loopback address ("localhost" means 127.0.0.1)
  std::uint16_t port = 0;          // 0 = ephemeral
  unsigned threads = 1;            // worker threads, each with its own io_context (0 means 1)
};

// The test HTTP server: one single-threaded io_context per worker thread (sharing only the
// Router's RequestStats), a Listener spreading connections over them, and the threads. open()
// binds and starts the stall clock, start() runs, stop() or the destructor stops and joins.
// Meant to be driven by one controlling thread; stats() is safe from any thread.
class Server {
 public:
  // Binds and listens; returns null and sets `ec` on failure (bad or non-loopback address:
  // permission_denied; port in use: address_in_use).
  static std::unique_ptr<Server> open(const ServerOptions& options, boost::system::error_code& ec);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // The bound address with the real port.
  boost::asio::ip::tcp::endpoint endpoint() const { return endpoint_; }
  // Starts the worker threads. Call once.
  void start();
  // Stops serving and joins the threads; open connections are dropped. Idempotent.
  void stop();

  const StallClock& stall_clock() const { return clock_; }
  RequestStats& stats() { return stats_; }

 private:
  Server() = default;

  StallClock clock_;
  RequestStats stats_;
  Router router_{clock_, stats_};
  boost::asio::ip::tcp::endpoint endpoint_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards_;
  std::unique_ptr<Listener> listener_;  // destroyed before contexts_ (see ~Server)
  std::vector<std::thread> threads_;
};

}  // namespace stampede::testserver
