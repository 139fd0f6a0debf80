// The environment every shop process reads at start: where to listen, the ops endpoints, the
// shutdown timings and the initial fault knobs.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/result.h"
#include "shop-reference/common/env.h"
#include "shop-reference/common/faults.h"

namespace shop {

struct ServiceEnv {
  std::string listen_addr = "0.0.0.0";  // LISTEN_ADDR
  uint16_t port = 0;                    // PORT (the service's Online Boutique port by default)
  uint16_t metrics_port = 9464;         // METRICS_PORT: /metrics, /_healthz, /readyz
  uint16_t admin_port = 9465;           // ADMIN_PORT: the fault knobs (see ops_server.h)
  // ADMIN_LISTEN_ADDR: an IPv4/IPv6 literal; loopback unless the pod's address is wanted (for
  // kube-apiserver's pods/proxy, which connects to the pod IP).
  std::string admin_listen_addr = "127.0.0.1";
  std::string admin_token;                      // ADMIN_TOKEN: the admin endpoint is off when unset
  std::string port_file;                        // PORT_FILE: where to write the bound ports as JSON
  std::chrono::milliseconds shutdown_delay{0};  // SHUTDOWN_DELAY_MS: NOT_SERVING before stopping
  std::chrono::milliseconds shutdown_grace{10000};  // SHUTDOWN_GRACE_MS: in-flight requests' time
  FaultSpec faults;                                 // FAULT_* (see faults.h)
};

// Reads the variables above; port 0 anywhere means "any free port" (see PORT_FILE). Errors name
// the variable ("environment ADMIN_LISTEN_ADDR: expected an IPv4 or IPv6 address ..., got 'x'").
stampede::Result<ServiceEnv> read_service_env(const Env& env, uint16_t default_port);

// Writes {"service":..., "pid":..., "port":..., "metrics_port":..., "admin_port":...} to `path`
// atomically (temporary file + rename). Error names the path.
stampede::Status write_port_file(const std::string& path, const std::string& service, uint16_t port,
                                 uint16_t metrics_port, uint16_t admin_port);

}  // namespace shop
