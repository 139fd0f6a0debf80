#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <memory>
#include <vector>

#include "common/http/server_state.h"
#include "common/result.h"

namespace stampede::http::internal {

// Accepts connections and hands them to the io contexts round-robin, so each connection stays
// on one thread for good. The acceptor lives on contexts[0]; start() and close() may be called
// from any thread (close is posted). Kept alive by its pending accept (shared_from_this); must
// be released before the contexts are destroyed.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Opens, binds and listens. Error: "bind ADDRESS:PORT: reason".
  static Result<std::shared_ptr<Listener>> open(std::vector<boost::asio::io_context*> contexts,
                                                const boost::asio::ip::tcp::endpoint& endpoint,
                                                std::shared_ptr<ServerState> state);
  Listener(std::vector<boost::asio::io_context*> contexts, std::shared_ptr<ServerState> state);
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // The bound port (the real one when port 0 was asked for).
  uint16_t port() const { return port_; }
  // Starts the accept loop. Call once.
  void start();
  // Stops accepting (posted to the acceptor's thread).
  void close();

 private:
  void accept();

  std::vector<boost::asio::io_context*> contexts_;
  const std::shared_ptr<ServerState> state_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  size_t next_context_ = 0;
  uint16_t port_ = 0;
  bool closed_ = false;  // on the acceptor's thread
};

}  // namespace stampede::http::internal
