// RawTestServer: a tiny blocking loopback HTTP peer for transport tests, for replies a real
// server will not produce (chunked with trailers, malformed bytes, keep-alive races).
//
// Each accepted connection gets a thread that reads requests (head plus Content-Length body)
// and answers each with the Reply the test's Responder returns for (request text, connection
// number, request number on that connection). Test-only; the counters are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/http/unique_fd.h"

namespace stampede {

class RawTestServer {
 public:
  struct Reply {
    std::string bytes;    // sent as is
    size_t piece = 0;     // > 0: sent in pieces of this size, 1 ms apart
    bool close = false;   // close the connection after sending
    bool reset = false;   // close with RST (SO_LINGER 0) after sending
    bool silent = false;  // send nothing and keep the connection open
  };
  using Responder = std::function<Reply(const std::string& request, int connection, int index)>;

  explicit RawTestServer(Responder responder);
  ~RawTestServer();  // stops accepting, closes connections and joins the threads
  RawTestServer(const RawTestServer&) = delete;
  RawTestServer& operator=(const RawTestServer&) = delete;

  uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }
  // Every request received so far, in arrival order.
  std::vector<std::string> requests();

 private:
  void accept_loop();
  void serve(UniqueFd fd, int connection);

  Responder responder_;
  UniqueFd listen_fd_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::vector<std::string> requests_;  // guarded by mu_
  std::vector<std::thread> threads_;   // guarded by mu_
  std::thread acceptor_;
};

}  // namespace stampede
