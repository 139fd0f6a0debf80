#include "targets/local/proxy/proxy_core.h"

#include <boost/asio/post.hpp>
#include <chrono>
#include <utility>
#include <vector>

#include "common/http/listen_socket.h"
#include "targets/local/proxy/connection.h"

namespace stampede::local::internal {
namespace net = boost::asio;
using tcp = net::ip::tcp;

ProxyCore::ProxyCore() : acceptor_(io_), retry_timer_(io_), random_(std::random_device{}()) {}

ProxyCore::~ProxyCore() = default;

Result<std::unique_ptr<ProxyCore>> ProxyCore::open(const std::string& bind_host, uint16_t port) {
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(bind_host, ec);
  if (ec) return Error("bind address '" + bind_host + "': not an IP address literal");
  const tcp::endpoint endpoint(address, port);
  std::unique_ptr<ProxyCore> core(new ProxyCore());
  tcp::acceptor& acceptor = core->acceptor_;
  Status listening = http::listen_on(acceptor, endpoint);
  if (!listening.ok()) return listening.error();
  core->port_ = acceptor.local_endpoint(ec).port();
  if (ec) return Error("bind " + http::describe_endpoint(endpoint) + ": " + ec.message());
  return core;
}

void ProxyCore::run() {
  net::post(io_, [this] { accept(); });
  for (;;) {
    try {
      io_.run();  // returns once shutdown() has closed everything and no operation is left
      return;
    } catch (...) {
      // Handlers take error codes and do not throw; this is for bad_alloc and the like, which
      // cost only the operation that threw.
    }
  }
}

void ProxyCore::shutdown() {
  net::post(io_, [this] {
    if (stopping_) return;
    stopping_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
    std::vector<std::shared_ptr<Connection>> open;
    open.reserve(connections_.size());
    for (auto& [key, connection] : connections_) open.push_back(connection);
    for (auto& connection : open) connection->reset();
  });
}

void ProxyCore::notify_fault(bool reset_existing) {
  net::post(io_, [this, reset_existing] {
    if (stopping_) return;
    std::vector<std::shared_ptr<Connection>> open;
    open.reserve(connections_.size());
    for (auto& [key, connection] : connections_) open.push_back(connection);
    for (auto& connection : open) {
      if (reset_existing) {
        counters_.reset();
        connection->reset();
      } else {
        connection->fault_changed();
      }
    }
  });
}

void ProxyCore::remove(const Connection* connection) {
  if (connections_.erase(connection) > 0) counters_.closed();
}

void ProxyCore::accept() {
  if (stopping_) return;
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void ProxyCore::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  if (stopping_ || ec == net::error::operation_aborted) return;
  if (ec) {
    // Typically EMFILE under a connection flood: back off briefly instead of spinning.
    retry_timer_.expires_after(std::chrono::milliseconds(50));
    retry_timer_.async_wait([this](const boost::system::error_code& timer_ec) {
      if (!timer_ec) accept();
    });
    return;
  }
  counters_.accepted();
  const ProxyFault& fault = faults_.current();
  if (fault.reset_rate > 0 && random01() < fault.reset_rate) {
    counters_.reset();
    reject(socket);
  } else if (BackendPick pick = endpoints_.pick(); pick.backends->empty()) {
    counters_.refused();
    reject(socket);
  } else {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto connection = std::make_shared<Connection>(*this, std::move(socket), std::move(pick));
    connections_.emplace(connection.get(), connection);
    counters_.opened();
    connection->start();
  }
  accept();
}

void ProxyCore::reject(tcp::socket& socket) {
  boost::system::error_code ignored;
  socket.set_option(net::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

}  // namespace stampede::local::internal
