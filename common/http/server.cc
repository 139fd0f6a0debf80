#include "common/http/server.h"

#include <boost/beast/http/field.hpp>
#include <utility>

#include "common/http/io_threads.h"
#include "common/http/listener.h"
#include "common/http/server_state.h"

namespace stampede::http {
namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

Result<std::unique_ptr<Server>> Server::start(ServerOptions options, Handler handler) {
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(options.bind, ec);
  if (ec) return Error("bind address '" + options.bind + "': not an IP address literal");
  if (!handler) return Error("http server: no handler");
  const tcp::endpoint endpoint(address, options.port);
  const unsigned io_threads = options.io_threads;

  std::unique_ptr<Server> server(new Server());
  server->state_ = std::make_shared<internal::ServerState>(std::move(options), std::move(handler));
  server->io_ = std::make_unique<internal::IoThreads>(io_threads);
  auto listener = internal::Listener::open(server->io_->contexts(), endpoint, server->state_);
  if (!listener.ok()) {
    server->done_ = true;
    if (server->state_->pool() != nullptr) server->state_->pool()->stop();
    return listener.error();
  }
  server->listener_ = std::move(listener).value();
  server->port_ = server->listener_->port();
  server->listener_->start();
  server->io_->start();
  return server;
}

Server::~Server() {
  shutdown(std::chrono::milliseconds(0));
  // The acceptor must go before the context it is registered with.
  listener_.reset();
  io_.reset();
}

void Server::shutdown(std::chrono::milliseconds grace) {
  std::lock_guard lock(shutdown_mu_);
  if (done_) return;
  done_ = true;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  state_->begin_stopping();
  listener_->close();
  state_->wait_idle(deadline);
  state_->close_all();
  // Running handlers finish first; their replies then find their connections closed.
  if (state_->pool() != nullptr) state_->pool()->stop();
  io_->stop();
}

size_t Server::in_flight() const {
  return state_->in_flight();
}

size_t Server::connections() const {
  return state_->connections();
}

Response make_response(const Request& request, bhttp::status status, std::string_view content_type,
                       std::string body) {
  Response response(status, request.version());
  response.set(bhttp::field::content_type,
               boost::beast::string_view(content_type.data(), content_type.size()));
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  return response;
}

}  // namespace stampede::http
