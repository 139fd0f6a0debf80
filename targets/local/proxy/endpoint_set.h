// EndpointSet: the Ready endpoints a Service balances over, and the round-robin position.
// Thread-safe: set() and list() from any thread, pick() from the io thread, each under a mutex
// held for a pointer copy. A pick holds its list alive, so a later set() never changes where a
// connection that is already being made may go.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "targets/local/proxy/service_proxy.h"

namespace stampede::local::internal {

// An endpoint with its parsed address. `valid` is false when the host is not an IP literal:
// such an endpoint is never connected to (it counts as one that refused).
struct Backend {
  Endpoint endpoint;
  boost::asio::ip::tcp::endpoint address;
  bool valid = false;
};

using BackendList = std::shared_ptr<const std::vector<Backend>>;

// Where one new connection goes: try backends[first], then the next ones in order, each once.
struct BackendPick {
  BackendList backends;  // never null; empty when there is no endpoint
  size_t first = 0;
};

class EndpointSet {
 public:
  EndpointSet();

  // Replaces the endpoints (in the given order).
  void set(std::vector<Endpoint> endpoints);
  std::vector<Endpoint> list() const;
  // The list for one new connection and its place in the round robin (advances it by one).
  BackendPick pick();

 private:
  mutable std::mutex mu_;
  BackendList backends_;  // guarded by mu_
  size_t next_ = 0;       // guarded by mu_; counts picks, taken modulo the list's size
};

}  // namespace stampede::local::internal
