#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/http/handler_pool.h"
#include "common/http/server.h"

namespace stampede::http::internal {

class Connection;

// What the Server, its Listener and its Connections share: options, the handler, the pool, the
// shutdown flags, request/connection counters and the set of live connections (so shutdown can
// close them). Owned jointly (shared_ptr) so that a connection outliving the Server's io threads
// still finds it. Thread-safe: counters and flags are atomics, the registry has a mutex.
class ServerState {
 public:
  ServerState(ServerOptions options, Handler handler);

  const ServerOptions& options() const { return options_; }
  // Null when handlers run on the io threads.
  HandlerPool* pool() { return pool_.get(); }
  // Runs the handler; an exception it throws becomes a 500 reply.
  Reply call_handler(const Request& request, const Peer& peer) const;

  // Shutdown began: answer with Connection: close.
  bool stopping() const { return stopping_.load(); }
  void begin_stopping() { stopping_.store(true); }
  // Grace is over: connections close instead of answering.
  bool closed() const { return closed_.load(); }
  // Sets closed() and asks every live connection to close (on its own io thread).
  void close_all();

  // Request accounting: started -> (hung ->) finished, once each per request.
  void request_started();
  void request_hung();
  void request_finished(bool was_hung);
  // Waits until no request is queued, handled or being written, or until `deadline`.
  void wait_idle(std::chrono::steady_clock::time_point deadline);
  size_t in_flight() const { return in_flight_.load(); }

  // Registers a new connection; returns its id for remove_connection().
  uint64_t add_connection(std::weak_ptr<Connection> connection);
  void remove_connection(uint64_t id);
  size_t connections() const;

 private:
  void notify_if_stopping();

  const ServerOptions options_;
  const Handler handler_;
  std::unique_ptr<HandlerPool> pool_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> closed_{false};
  std::atomic<size_t> in_flight_{0};
  std::atomic<size_t> busy_{0};  // in_flight_ less the hung requests
  mutable std::mutex mu_;
  std::condition_variable idle_cv_;  // signalled when busy_ drops while stopping
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> live_;  // guarded by mu_
  uint64_t next_id_ = 0;                                          // guarded by mu_
};

}  // namespace stampede::http::internal
