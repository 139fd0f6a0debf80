#include "common/http/listener.h"

#include <boost/asio/post.hpp>
#include <chrono>
#include <string>
#include <utility>

#include "common/http/connection.h"
#include "common/http/listen_socket.h"

namespace stampede::http::internal {
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

Listener::Listener(std::vector<net::io_context*> contexts, std::shared_ptr<ServerState> state)
    : contexts_(std::move(contexts)),
      state_(std::move(state)),
      acceptor_(*contexts_.front()),
      retry_timer_(*contexts_.front()) {}

Result<std::shared_ptr<Listener>> Listener::open(std::vector<net::io_context*> contexts,
                                                 const tcp::endpoint& endpoint,
                                                 std::shared_ptr<ServerState> state) {
  auto listener = std::make_shared<Listener>(std::move(contexts), std::move(state));
  tcp::acceptor& acceptor = listener->acceptor_;
  Status listening = listen_on(acceptor, endpoint);
  if (!listening.ok()) return listening.error();
  boost::system::error_code ec;
  listener->port_ = acceptor.local_endpoint(ec).port();
  if (ec) return Error("bind " + describe_endpoint(endpoint) + ": " + ec.message());
  return listener;
}

void Listener::start() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
}

void Listener::close() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    self->closed_ = true;
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void Listener::accept() {
  if (closed_) return;
  net::io_context& target = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  acceptor_.async_accept(
      target.get_executor(),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        if (self->closed_ || ec == net::error::operation_aborted) return;
        if (ec) {
          // Typically EMFILE under a connection flood: back off briefly instead of spinning.
          self->retry_timer_.expires_after(std::chrono::milliseconds(50));
          self->retry_timer_.async_wait([self](boost::system::error_code timer_ec) {
            if (!timer_ec) self->accept();
          });
          return;
        }
        boost::system::error_code peer_ec;
        const tcp::endpoint remote = socket.remote_endpoint(peer_ec);
        if (!peer_ec) {
          boost::system::error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          auto connection = Connection::create(std::move(socket),
                                               Peer{remote.address(), remote.port()}, self->state_);
          // The connection must start on its own context's thread, not on the acceptor's.
          net::post(connection->executor(), [connection] { connection->start(); });
        }
        self->accept();
      });
}

}  // namespace stampede::http::internal
