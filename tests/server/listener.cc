#include "tests/server/listener.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <chrono>
#include <utility>

#include "tests/server/session.h"

namespace stampede::testserver {
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

Listener::Listener(std::vector<net::io_context*> workers, const Router& router)
    : workers_(std::move(workers)),
      router_(router),
      acceptor_(*workers_.front()),
      retry_timer_(*workers_.front()) {}

std::unique_ptr<Listener> Listener::open(std::vector<net::io_context*> workers,
                                         const tcp::endpoint& endpoint, const Router& router,
                                         boost::system::error_code& ec) {
  std::unique_ptr<Listener> listener(new Listener(std::move(workers), router));
  tcp::acceptor& acceptor = listener->acceptor_;
  if (acceptor.open(endpoint.protocol(), ec)) return nullptr;
  if (acceptor.set_option(net::socket_base::reuse_address(true), ec)) return nullptr;
  if (acceptor.bind(endpoint, ec)) return nullptr;
  if (acceptor.listen(net::socket_base::max_listen_connections, ec)) return nullptr;
  return listener;
}

void Listener::start() {
  accept();
}

void Listener::accept() {
  const net::any_io_executor executor = workers_[next_worker_]->get_executor();
  next_worker_ = (next_worker_ + 1) % workers_.size();
  acceptor_.async_accept(executor, [this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec) {
      // Typically EMFILE under a connection flood: back off briefly instead of spinning.
      retry_timer_.expires_after(std::chrono::milliseconds(50));
      retry_timer_.async_wait([this](boost::system::error_code timer_ec) {
        if (!timer_ec) accept();
      });
      return;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    // The session must start on its own context's thread, not on the acceptor's.
    net::dispatch(socket.get_executor(), [session = std::make_shared<Session>(
                                              std::move(socket), router_)] { session->start(); });
    accept();
  });
}

}  // namespace stampede::testserver
