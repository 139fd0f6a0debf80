#include "targets/local/proxy/connection.h"

#include <utility>

#include "targets/local/proxy/proxy_core.h"

namespace stampede::local::internal {
namespace net = boost::asio;
using tcp = net::ip::tcp;

Connection::Connection(ProxyCore& core, tcp::socket client, BackendPick pick)
    : core_(core),
      client_(std::move(client)),
      backend_(client_.get_executor()),
      connect_timer_(client_.get_executor()),
      pick_(std::move(pick)),
      up_(*this, Direction::kUp, client_, backend_),
      down_(*this, Direction::kDown, backend_, client_) {}

void Connection::start() {
  connect_next();
}

void Connection::connect_next() {
  const size_t count = pick_.backends->size();
  while (attempts_ < count && !closed_) {
    const Backend& backend = (*pick_.backends)[(pick_.first + attempts_) % count];
    ++attempts_;
    if (!backend.valid) continue;
    boost::system::error_code ec;
    if (backend_.open(backend.address.protocol(), ec)) continue;
    backend_.set_option(tcp::no_delay(true), ec);
    const size_t attempt = attempts_;
    connect_timer_.expires_after(kConnectTimeout);
    connect_timer_.async_wait(
        [self = shared_from_this(), attempt](const boost::system::error_code& timer_ec) {
          if (!timer_ec) self->on_connect_timeout(attempt);
        });
    backend_.async_connect(backend.address, [self = shared_from_this(),
                                             attempt](const boost::system::error_code& connect_ec) {
      self->on_connected(attempt, connect_ec);
    });
    return;
  }
  if (closed_) return;
  // Every endpoint refused: the client sees what a refused connect would have shown it.
  finish(true);
  core_.counters().refused();
}

void Connection::on_connect_timeout(size_t attempt) {
  if (closed_ || connected_ || attempt != attempts_) return;
  // Aborts the connect; its handler moves on to the next endpoint.
  boost::system::error_code ignored;
  backend_.close(ignored);
}

void Connection::on_connected(size_t attempt, const boost::system::error_code& ec) {
  if (closed_ || attempt != attempts_) return;
  connect_timer_.cancel();
  if (ec || !backend_.is_open()) {
    boost::system::error_code ignored;
    backend_.close(ignored);
    connect_next();
    return;
  }
  connected_ = true;
  up_.start();
  down_.start();
}

void Connection::fault_changed() {
  if (!connected_ || closed_) return;
  up_.fault_changed();
  down_.fault_changed();
}

const ProxyFault& Connection::fault() {
  return core_.faults().current();
}

uint64_t Connection::fault_generation() {
  return core_.faults().current_generation();
}

double Connection::random01() {
  return core_.random01();
}

ProxyCounters& Connection::counters() {
  return core_.counters();
}

void Connection::pump_finished() {
  if (up_.finished() && down_.finished()) finish(false);
}

void Connection::finish(bool reset) {
  if (closed_) return;
  closed_ = true;
  const auto keep = shared_from_this();  // core_.remove() drops the registry's reference
  up_.stop();
  down_.stop();
  connect_timer_.cancel();
  for (tcp::socket* socket : {&client_, &backend_}) {
    boost::system::error_code ignored;
    if (!socket->is_open()) continue;
    // SO_LINGER with a zero timeout makes close() send a RST instead of a FIN.
    if (reset) socket->set_option(net::socket_base::linger(true, 0), ignored);
    socket->close(ignored);
  }
  core_.remove(this);
}

}  // namespace stampede::local::internal
