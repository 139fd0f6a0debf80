#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <memory>
#include <vector>

#include "tests/server/router.h"

namespace stampede::testserver {

// Accepts connections and starts a Session for each, handing the sockets to the worker
// io_contexts round-robin so that each connection stays on one thread for good. The acceptor and
// the accept loop live on workers[0]. Owned by Server; the contexts and the Router must outlive
// it, and it must be destroyed before the contexts.
class Listener {
 public:
  // Opens, binds and listens on `endpoint`; returns null and sets `ec` on failure (address in
  // use, unknown address, ...). `workers` must be non-empty.
  static std::unique_ptr<Listener> open(std::vector<boost::asio::io_context*> workers,
                                        const boost::asio::ip::tcp::endpoint& endpoint,
                                        const Router& router, boost::system::error_code& ec);

  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // The bound address, with the real port when port 0 was asked for.
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  // Starts the accept loop. Call once, before or while workers[0] runs.
  void start();

 private:
  Listener(std::vector<boost::asio::io_context*> workers, const Router& router);
  void accept();

  std::vector<boost::asio::io_context*> workers_;
  const Router& router_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::size_t next_worker_ = 0;
};

}  // namespace stampede::testserver
