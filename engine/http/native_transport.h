// NativeTransport: the fast-path Transport, a small HTTP/1.1 client on the worker's EventLoop.
//
// For http:// URLs whose host is an IP literal or "localhost" (supports(); the engine sends
// everything else, https and DNS names, to CurlTransport, so no DNS ever blocks here). Keeps a
// keep-alive pool per (address, port): a request takes the most recently used idle connection or
// opens a nonblocking one; idle connections stay registered with epoll and are dropped when the
// peer closes them. A request that fails before any response byte on a reused connection (the
// keep-alive race) is sent once more on a fresh one, as libcurl does. Whole-request timeouts
// (request.timeout, none when <= 0) come from one loop Deadline set to the earliest of them.
// Behaviour otherwise matches CurlTransport: same request headers, headers_raw, error kinds,
// k6 timings (blocked and tls 0; connecting for a new connection; sending measured). Steady
// state allocates nothing: request records, buffers and connections are reused.
// Owned by one worker thread; not thread-safe. Callbacks run on the loop thread, never inside
// start(). The destructor closes everything without callbacks. Must not outlive its loop.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/core/event_loop.h"
#include "engine/http/deadline_heap.h"
#include "engine/http/http1_connection.h"
#include "engine/http/http1_parser.h"
#include "engine/http/http1_target.h"
#include "engine/http/transport.h"
#include "engine/http/url.h"

namespace stampede {

struct NativeTransportOptions {
  std::string user_agent = "stampede/0.1";
  size_t max_header_bytes = 64 * 1024;        // response head; beyond: kTooLarge
  int64_t max_body_bytes = int64_t{1} << 30;  // response body; beyond: kTooLarge
  size_t read_buffer_bytes = 64 * 1024;       // one buffer shared by all connections
};

// Counters for tests and diagnostics; monotonic over the transport's life.
struct NativeTransportStats {
  uint64_t connections_opened = 0;
  uint64_t reused = 0;   // exchanges sent on a kept-alive connection
  uint64_t retries = 0;  // exchanges sent again after a reused connection failed
};

class NativeTransport final : public Transport,
                              private Http1Connection::Listener,
                              private TimerHandler {
 public:
  NativeTransport(EventLoop& loop, TransportCallback& callback,
                  NativeTransportOptions options = {});
  ~NativeTransport() override;
  NativeTransport(const NativeTransport&) = delete;
  NativeTransport& operator=(const NativeTransport&) = delete;

  // True when this transport can send to `url`: http with an IP literal or "localhost" host.
  static bool supports(const Url& url);

  // Errors (reported through the callback): kInvalidUrl for URLs parse_url() rejects or
  // supports() refuses, connection errors, kTimeout, kEmptyReply, kTooLarge, kOther.
  void start(HttpExchange* exchange) override;
  // Stops the exchange without a callback; its connection is closed.
  void cancel(HttpExchange* exchange) override;
  size_t in_flight() const override { return in_flight_; }

  const NativeTransportStats& stats() const { return stats_; }
  // Open connections (busy, idle or connecting) and idle ones.
  size_t connections() const { return connections_.size(); }
  size_t idle_connections() const;

 private:
  struct InFlight;
  struct Pool;
  struct PoolKey {
    uint8_t bytes[19] = {};  // family, port, address
    bool operator==(const PoolKey&) const = default;
  };
  struct PoolKeyHash {
    size_t operator()(const PoolKey& key) const;
  };
  struct Deferred {
    InFlight* request;
    uint64_t generation;
  };

  void on_exchange_end(Http1Connection* connection,
                       const Http1Connection::Outcome& outcome) override;
  void on_idle_lost(Http1Connection* connection) override;
  void on_timer(uint64_t token) override;

  Pool* pool_for(const Http1Target& target);
  void dispatch(InFlight* request, bool fresh_connection);
  void fail(InFlight* request, HttpErrorKind kind, std::string message);
  void complete(InFlight* request);
  void deliver(InFlight* request);
  void expire_deadlines();
  void arm_deadline_timer();
  void flush_deferred();
  InFlight* acquire_request();
  void release_request(InFlight* request);
  void park(Http1Connection* connection);
  void destroy(Http1Connection* connection);

  EventLoop& loop_;
  TransportCallback& callback_;
  NativeTransportOptions options_;
  Http1Parser::Limits limits_;
  std::vector<char> read_buffer_;
  std::unordered_map<PoolKey, std::unique_ptr<Pool>, PoolKeyHash> pools_;
  std::vector<std::unique_ptr<Http1Connection>> connections_;
  std::vector<std::unique_ptr<InFlight>> requests_;  // every record ever made
  std::vector<InFlight*> free_requests_;
  DeadlineHeap<InFlight> deadlines_;
  Deadline deadline_timer_;         // at the earliest request deadline
  Deadline deferred_timer_;         // due at once while deferred_ is not empty
  std::vector<Deferred> deferred_;  // completions that happened inside start()
  std::vector<Deferred> deferred_batch_;
  bool starting_ = false;  // inside start(): completions are deferred
  std::string scratch_target_;
  size_t in_flight_ = 0;
  NativeTransportStats stats_;
};

}  // namespace stampede
