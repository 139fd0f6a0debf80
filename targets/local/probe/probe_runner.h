// Runs one attempt of a probe (httpGet, grpc, tcpSocket, exec) against a pod, blocking for at
// most the probe's timeoutSeconds. Called from the runtime's probe pool; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "targets/local/values/spec.h"

namespace stampede::local {

// Where a probe goes: the loopback port its port name resolved to in this pod, and the pod's
// environment (exec probes run with it).
struct ProbeTarget {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::vector<std::string> env;  // "KEY=value"
};

struct ProbeOutcome {
  bool success = false;
  std::string message;  // why it failed ("HTTP 503", "connect ...: Connection refused", ...)
};

// One probe attempt, as the kubelet runs it: httpGet succeeds on 200-399; grpc on SERVING from
// grpc.health.v1.Health/Check; tcpSocket when the connection is accepted; exec when the command
// (no shell; PATH lookup; the pod's env) exits 0. Each bounded by timeout_seconds.
ProbeOutcome run_probe(const ProbeSpec& spec, const ProbeTarget& target);

ProbeOutcome run_http_probe(const ProbeSpec& spec, const ProbeTarget& target);
ProbeOutcome run_grpc_probe(const ProbeSpec& spec, const ProbeTarget& target);
ProbeOutcome run_tcp_probe(const ProbeSpec& spec, const ProbeTarget& target);
ProbeOutcome run_exec_probe(const ProbeSpec& spec, const ProbeTarget& target);

}  // namespace stampede::local
