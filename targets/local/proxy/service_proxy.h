// ServiceProxy: a local Kubernetes Service. A stable loopback listener that balances each new
// connection over the Ready endpoints (round robin, per connection, like kube-proxy), and pipes
// bytes both ways. With no endpoint, a new connection is refused (closed with a reset at once).
// It can also inject network faults on the connections it carries (chaos `proxy-fault`).
//
// Runs its own io thread(s); every public function is thread-safe and may be called while
// connections are flowing. Endpoint changes affect new connections only; existing ones keep
// their backend (kube-proxy does the same).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace stampede::local {

struct Endpoint {
  std::string pod;   // for stats and logs
  std::string host;  // an IP literal, "127.0.0.1"
  uint16_t port = 0;
};

// Network faults applied to connections through the proxy. Zero values are "off".
struct ProxyFault {
  double latency_ms = 0;        // added to each chunk forwarded, in both directions
  double jitter_ms = 0;         // + uniform(0, jitter) per chunk
  double bandwidth_kbps = 0;    // per connection and direction, kilobytes per second; 0 = unlimited
  double reset_rate = 0;        // fraction of new connections reset at once (0..1)
  bool reset_existing = false;  // when applied: reset every connection open now
  bool blackhole = false;       // accept, then forward nothing either way (new and existing)
};

struct ProxyStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_refused = 0;  // no endpoint
  uint64_t connections_reset = 0;    // by the reset fault
  uint64_t active_connections = 0;
  uint64_t bytes_up = 0;    // client -> endpoint
  uint64_t bytes_down = 0;  // endpoint -> client
};

class ServiceProxy {
 public:
  // Binds `bind_host:port` (port 0: any free port) and starts serving. Errors name the address.
  static Result<std::unique_ptr<ServiceProxy>> start(const std::string& name,
                                                     const std::string& bind_host, uint16_t port);
  virtual ~ServiceProxy() = default;

  virtual const std::string& name() const = 0;
  virtual uint16_t port() const = 0;
  // Replaces the set of Ready endpoints new connections are balanced over.
  virtual void set_endpoints(std::vector<Endpoint> endpoints) = 0;
  virtual std::vector<Endpoint> endpoints() const = 0;
  // Sets (replacing) or clears the fault. Errors: a negative value or a rate outside 0..1.
  virtual Status set_fault(const ProxyFault& fault) = 0;
  virtual void clear_fault() = 0;
  virtual ProxyFault fault() const = 0;
  virtual ProxyStats stats() const = 0;
  // Closes the listener and every connection; idempotent. The destructor calls it.
  virtual void stop() = 0;
};

}  // namespace stampede::local
