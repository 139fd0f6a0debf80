// stampede-proxy: one ServiceProxy as a process, for benchmarks and for trying faults by hand.
//
//   stampede-proxy --endpoint [POD=]HOST:PORT ... [--bind 127.0.0.1] [--port 0]
//                  [--latency-ms N] [--jitter-ms N] [--bandwidth-kbps N] [--reset-rate R]
//                  [--blackhole] [--port-file PATH]
//
// Prints "listening on HOST:PORT" once it serves and runs until SIGTERM or SIGINT (exit 0).
// Exit 2: bad flags (one line naming the flag); 1: cannot listen or write the port file.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "targets/local/proxy/endpoint_text.h"
#include "targets/local/proxy/service_proxy.h"

namespace {

using stampede::local::Endpoint;
using stampede::local::ProxyFault;
using stampede::local::ServiceProxy;

// Written to a temporary file and renamed, so a poller never reads a half-written port.
bool write_port_file(const std::string& path, unsigned port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << '\n';
    if (!out.flush()) return false;
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

// Benchmarks open thousands of connections, each two descriptors here: take all we may.
void raise_fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string bind = "127.0.0.1";
  uint16_t port = 0;
  std::vector<std::string> endpoint_texts;
  ProxyFault fault;
  std::string port_file;
  CLI::App app{"stampede-proxy: a local Service proxy with network faults (loopback)"};
  app.add_option("--endpoint", endpoint_texts, "Backend [POD=]HOST:PORT (repeat for several)")
      ->required();
  app.add_option("--bind", bind, "IP address to listen on")->capture_default_str();
  app.add_option("--port", port, "Port to listen on (0 = any free port)")->capture_default_str();
  app.add_option("--latency-ms", fault.latency_ms, "Delay added to every chunk, each way")
      ->check(CLI::Range(0.0, 3600000.0));
  app.add_option("--jitter-ms", fault.jitter_ms, "Plus a uniform 0..N ms per chunk")
      ->check(CLI::Range(0.0, 3600000.0));
  app.add_option("--bandwidth-kbps", fault.bandwidth_kbps, "kB/s per connection and direction")
      ->check(CLI::Range(0.0, 1e9));
  app.add_option("--reset-rate", fault.reset_rate, "Fraction of new connections reset")
      ->check(CLI::Range(0.0, 1.0));
  app.add_flag("--blackhole", fault.blackhole, "Accept, then forward nothing");
  app.add_option("--port-file", port_file, "Also write the bound port to this file");
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::ParseError& e) {
    std::cerr << "stampede-proxy: " << e.what() << "\n";
    return 2;
  }

  std::vector<Endpoint> endpoints;
  for (const std::string& text : endpoint_texts) {
    auto endpoint = stampede::local::parse_endpoint(text);
    if (!endpoint.ok()) {
      std::cerr << "stampede-proxy: --endpoint " << endpoint.error().message() << "\n";
      return 2;
    }
    endpoints.push_back(endpoint.value());
  }

  // Block the stop signals before any thread exists so that only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  raise_fd_limit();

  auto started = ServiceProxy::start("stampede-proxy", bind, port);
  if (!started.ok()) {
    std::cerr << "stampede-proxy: " << started.error().message() << "\n";
    return 1;
  }
  std::unique_ptr<ServiceProxy> proxy = std::move(started).value();
  if (const stampede::Status s = proxy->set_fault(fault); !s.ok()) {
    std::cerr << "stampede-proxy: " << s.error().message() << "\n";  // the checks above catch it
    return 2;
  }
  proxy->set_endpoints(std::move(endpoints));
  if (!port_file.empty() && !write_port_file(port_file, proxy->port())) {
    std::cerr << "stampede-proxy: cannot write port file " << port_file << "\n";
    return 1;
  }
  const bool v6 = bind.find(':') != std::string::npos;
  std::cout << "listening on " << (v6 ? "[" + bind + "]" : bind) << ":" << proxy->port()
            << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  proxy->stop();
  return 0;
}
