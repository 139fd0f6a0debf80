// Connection: one client connection through the proxy. Connects to a backend (the one the round
// robin picked, then the following ones, each at most once and for at most kConnectTimeout),
// then pipes both ways with two Pumps. It ends closed (FIN) once both directions have forwarded
// their end of stream, or reset (RST on both sockets) on any error, on the reset_existing fault
// and when the proxy stops. When every endpoint refuses, the client is reset.
//
// Owned by ProxyCore's registry and by its own pending operations (shared_from_this). Every
// member function runs on the proxy's io thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

#include "targets/local/proxy/endpoint_set.h"
#include "targets/local/proxy/proxy_counters.h"
#include "targets/local/proxy/pump.h"
#include "targets/local/proxy/service_proxy.h"

namespace stampede::local::internal {

class ProxyCore;

// How long one connect to a backend may take before the next endpoint is tried.
inline constexpr std::chrono::seconds kConnectTimeout{5};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `client` is accepted; `pick` is non-empty. The core must outlive the connection's operations.
  Connection(ProxyCore& core, boost::asio::ip::tcp::socket client, BackendPick pick);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts connecting to a backend.
  void start();
  // Lets the pumps see a new fault at once (e.g. a timer waiting for the old latency).
  void fault_changed();
  // Resets both sockets (SO_LINGER 0, close) and leaves the registry. Idempotent.
  void reset() { finish(true); }

  // For the pumps.
  bool closed() const { return closed_; }
  const ProxyFault& fault();
  uint64_t fault_generation();
  double random01();
  ProxyCounters& counters();
  // A read or write failed: the failure is passed on as a reset of both sides.
  void abort() { finish(true); }
  // One direction forwarded its end of stream; when both have, the connection closes.
  void pump_finished();

 private:
  void connect_next();
  void on_connected(size_t attempt, const boost::system::error_code& ec);
  void on_connect_timeout(size_t attempt);
  void finish(bool reset);

  ProxyCore& core_;
  boost::asio::ip::tcp::socket client_;
  boost::asio::ip::tcp::socket backend_;
  boost::asio::steady_timer connect_timer_;
  const BackendPick pick_;
  size_t attempts_ = 0;  // endpoints tried so far; also names the attempt in flight
  bool connected_ = false;
  bool closed_ = false;
  Pump up_;
  Pump down_;
};

}  // namespace stampede::local::internal
