#include "targets/local/probe/probe_runner.h"

#include <chrono>

#include "targets/local/probe/http_call.h"
#include "targets/local/probe/socket_util.h"

namespace stampede::local {

ProbeOutcome run_probe(const ProbeSpec& spec, const ProbeTarget& target) {
  switch (spec.kind) {
    case ProbeKind::kHttpGet:
      return run_http_probe(spec, target);
    case ProbeKind::kGrpc:
      return run_grpc_probe(spec, target);
    case ProbeKind::kTcpSocket:
      return run_tcp_probe(spec, target);
    case ProbeKind::kExec:
      return run_exec_probe(spec, target);
  }
  return {false, "unknown probe kind"};
}

ProbeOutcome run_http_probe(const ProbeSpec& spec, const ProbeTarget& target) {
  std::vector<std::pair<std::string, std::string>> headers = {{"User-Agent", "kube-probe/stampede"},
                                                              {"Accept", "*/*"}};
  for (const auto& h : spec.http_headers) headers.push_back(h);
  // The kubelet reads at most 10 KiB of the body; the status is what counts.
  auto r = http_call(target.host, target.port, "GET", spec.path, headers, "",
                     std::chrono::seconds(spec.timeout_seconds), 10 << 10);
  if (!r.ok()) return {false, r.error().message()};
  int status = r.value().status;
  if (status >= 200 && status < 400) return {true, "HTTP " + std::to_string(status)};
  return {false, "HTTP probe failed with statuscode: " + std::to_string(status)};
}

ProbeOutcome run_tcp_probe(const ProbeSpec& spec, const ProbeTarget& target) {
  Deadline deadline = std::chrono::steady_clock::now() + std::chrono::seconds(spec.timeout_seconds);
  auto fd = connect_before(target.host, target.port, deadline);
  if (!fd.ok()) return {false, fd.error().message()};
  return {true, "connected"};
}

}  // namespace stampede::local
