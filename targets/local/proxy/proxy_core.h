// ProxyCore: the machinery behind one ServiceProxy: the io_context, the listening socket and
// its accept loop, the registry of open connections, and the shared state (endpoints, fault,
// counters). A new connection is reset at once when the reset_rate fault picks it or when there
// is no endpoint; otherwise it becomes a Connection.
//
// run() is the io thread's body. endpoints(), faults(), counters(), notify_fault() and
// shutdown() may be called from any thread; remove() and random01() only on the io thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

#include "common/result.h"
#include "targets/local/proxy/endpoint_set.h"
#include "targets/local/proxy/fault_switch.h"
#include "targets/local/proxy/proxy_counters.h"

namespace stampede::local::internal {

class Connection;

class ProxyCore {
 public:
  // Binds and listens on bind_host:port (an IP literal; port 0 picks a free one). Errors name
  // the address: "bind 127.0.0.1:80: Address already in use".
  static Result<std::unique_ptr<ProxyCore>> open(const std::string& bind_host, uint16_t port);
  ProxyCore(const ProxyCore&) = delete;
  ProxyCore& operator=(const ProxyCore&) = delete;
  ~ProxyCore();

  uint16_t port() const { return port_; }
  EndpointSet& endpoints() { return endpoints_; }
  FaultSwitch& faults() { return faults_; }
  ProxyCounters& counters() { return counters_; }

  // The io thread: accepts and serves until shutdown() and every connection is gone, then
  // returns. Call once.
  void run();
  // Stops accepting and resets every connection (posted); run() then returns. Idempotent.
  void shutdown();
  // Stops the io_context even with work left (a safety net if run() does not return).
  void force_stop() { io_.stop(); }
  // The fault was set or cleared: resets every open connection when `reset_existing`, else
  // tells each about the new fault (posted).
  void notify_fault(bool reset_existing);

  // io thread: a connection is done.
  void remove(const Connection* connection);
  // io thread: uniform in [0, 1).
  double random01() { return uniform_(random_); }

 private:
  ProxyCore();
  void accept();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
  // SO_LINGER 0 and close: the client sees a reset.
  static void reject(boost::asio::ip::tcp::socket& socket);

  // Declared first: destroyed last, after every socket and timer bound to it.
  boost::asio::io_context io_{1};
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  EndpointSet endpoints_;
  FaultSwitch faults_;
  ProxyCounters counters_;
  std::mt19937_64 random_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  std::unordered_map<const Connection*, std::shared_ptr<Connection>> connections_;  // io thread
  bool stopping_ = false;                                                           // io thread
  uint16_t port_ = 0;
};

}  // namespace stampede::local::internal
