#include "tests/server/server.h"

#include <boost/asio/ip/address.hpp>
#include <exception>

namespace stampede::testserver {
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

std::unique_ptr<Server> Server::open(const ServerOptions& options, boost::system::error_code& ec) {
  const std::string host = options.bind == "localhost" ? "127.0.0.1" : options.bind;
  const net::ip::address address = net::ip::make_address(host, ec);
  if (ec) return nullptr;
  if (!address.is_loopback()) {
    // This server hands out 64 MiB bodies and resets on request: never expose it.
    ec = make_error_code(boost::system::errc::permission_denied);
    return nullptr;
  }

  std::unique_ptr<Server> server(new Server());
  const unsigned threads = options.threads == 0 ? 1 : options.threads;
  std::vector<net::io_context*> workers;
  for (unsigned i = 0; i < threads; ++i) {
    // Concurrency hint 1: each context is run by exactly one thread, so asio can skip locking.
    server->contexts_.push_back(std::make_unique<net::io_context>(1));
    server->guards_.push_back(net::make_work_guard(*server->contexts_.back()));
    workers.push_back(server->contexts_.back().get());
  }
  server->listener_ =
      Listener::open(std::move(workers), tcp::endpoint(address, options.port), server->router_, ec);
  if (!server->listener_) return nullptr;
  server->endpoint_ = server->listener_->local_endpoint();
  // "Since the server started" means since it could first accept a connection.
  server->clock_ = StallClock();
  return server;
}

Server::~Server() {
  stop();
  // The acceptor must go before the context it is registered with.
  listener_.reset();
  contexts_.clear();
}

void Server::start() {
  listener_->start();
  for (auto& context : contexts_) {
    threads_.emplace_back([ctx = context.get()] {
      for (;;) {
        try {
          ctx->run();
          return;
        } catch (const std::exception&) {
          // A throwing handler (e.g. bad_alloc on a huge body) costs only its own connection,
          // whose session died with the handler; keep serving the rest.
        }
      }
    });
  }
}

void Server::stop() {
  guards_.clear();
  for (auto& context : contexts_) context->stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

}  // namespace stampede::testserver
