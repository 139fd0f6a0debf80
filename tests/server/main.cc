// stampede-testserver: the HTTP peer for stampede's integration tests and benchmarks.
//
//   stampede-testserver [--bind 127.0.0.1] [--port 0] [--threads 1] [--port-file PATH]
//
// Binds, writes the port to --port-file (if given), prints "listening on HOST:PORT" and serves
// until SIGTERM or SIGINT, then exits 0. Routes and query parameters: tests/server/README.md.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "tests/server/server.h"

namespace {

namespace ts = stampede::testserver;

// Thousands of concurrent connections need thousands of descriptors; take all we may.
void raise_fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

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

}  // namespace

int main(int argc, char** argv) {
  ts::ServerOptions options;
  std::string port_file;
  CLI::App app{"stampede-testserver: HTTP test peer for stampede (loopback only)"};
  app.add_option("--bind", options.bind, "Loopback address to bind")->capture_default_str();
  app.add_option("--port", options.port, "Port to bind (0 = ephemeral)")->capture_default_str();
  app.add_option("--threads", options.threads, "Worker threads")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1024u));
  app.add_option("--port-file", port_file, "Also write the bound port to this file");
  CLI11_PARSE(app, argc, argv);

  // Block the stop signals before any thread exists so that only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  raise_fd_limit();

  boost::system::error_code ec;
  auto server = ts::Server::open(options, ec);
  if (!server) {
    std::cerr << "stampede-testserver: cannot listen on " << options.bind << ":" << options.port
              << ": " << ec.message()
              << (ec == boost::system::errc::permission_denied ? " (loopback addresses only)" : "")
              << "\n";
    return 1;
  }
  const auto endpoint = server->endpoint();
  if (!port_file.empty() && !write_port_file(port_file, endpoint.port())) {
    std::cerr << "stampede-testserver: cannot write port file " << port_file << "\n";
    return 1;
  }
  const std::string host = endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]"
                                                      : endpoint.address().to_string();
  std::cout << "listening on " << host << ":" << endpoint.port() << std::endl;

  server->start();
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server->stop();
  return 0;
}
