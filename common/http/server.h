// The HTTP/1.1 server used by every shop service, the engine and the local runtime API.
//
// One handler function answers every request; routing is the handler's business. Connections
// are spread over io threads (each with its own io_context); handlers run either on the io
// thread or on a bounded pool of handler threads, so a handler may block (e.g. on a gRPC call).
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/result.h"

namespace stampede::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// The remote end of a connection.
struct Peer {
  boost::asio::ip::address address;
  uint16_t port = 0;
};

namespace internal {
class Connection;
}

// A response body that is written in pieces after the headers (chunked transfer encoding), for
// long-lived answers such as a Kubernetes watch or a followed log. A handler returns one in
// Reply::stream and hands it to a producer; the producer writes from any thread. The stream
// closes when the producer calls end() (the body is then finished cleanly), when the client
// goes away, or when the server stops. Thread-safe.
class ResponseStream {
 public:
  ResponseStream() = default;
  ResponseStream(const ResponseStream&) = delete;
  ResponseStream& operator=(const ResponseStream&) = delete;

  // Queues `chunk` to be written (empty chunks are ignored). False when the stream is closed:
  // the producer should stop.
  bool write(std::string chunk);
  // Ends the body once the queued chunks are written. Idempotent.
  void end();
  // True once end() was called, the client went away or the server stopped.
  bool closed() const;
  // Bytes queued and not written yet (a producer bounds what a slow client may cost with it).
  size_t pending_bytes() const;
  // `fn` runs once when the connection is gone (the client closed it, a write failed or the
  // server stopped), on the connection's io thread; not after a clean end(). Set it before
  // returning the stream from the handler.
  void on_close(std::function<void()> fn);

 private:
  friend class internal::Connection;
  // Connection side (its io thread): `wake` is posted whenever chunks arrive or end() is called.
  void attach(std::function<void()> wake);
  // Moves the queued chunks into `out`; true when end() was called.
  bool take(std::deque<std::string>& out);
  // The connection is gone: closes the stream and runs the on_close callback.
  void disconnect();

  mutable std::mutex mu_;
  std::deque<std::string> chunks_;  // guarded by mu_
  size_t pending_ = 0;              // guarded by mu_
  bool ended_ = false;              // guarded by mu_
  bool gone_ = false;               // guarded by mu_
  std::function<void()> wake_;      // guarded by mu_
  std::function<void()> on_close_;  // guarded by mu_
};

// What a handler returns. The server fixes up version, keep-alive and Content-Length, and
// strips the body of a response to HEAD. hang=true: accept the request but never answer (the
// fault "hang"); the connection is held until the client closes it or the server stops.
// stream set: `response` holds the status and headers (its body is ignored) and the body comes
// from the stream, chunked; like a hung request, a streaming one does not delay a graceful
// shutdown.
struct Reply {
  Response response;
  bool hang = false;
  std::shared_ptr<ResponseStream> stream = nullptr;
};

// Answers one request. Called concurrently from several threads when io_threads > 1 or
// handler_threads > 1; an exception it throws becomes a 500 response.
using Handler = std::function<Reply(const Request&, const Peer&)>;

struct ServerOptions {
  std::string bind = "127.0.0.1";  // any IPv4/IPv6 literal, "0.0.0.0" and "::" allowed
  uint16_t port = 0;               // 0 = ephemeral; Server::port() tells the real one
  unsigned io_threads = 1;         // each with its own io_context (0 means 1)
  // 0: run the handler on the io thread; N: on a pool of N threads (handlers may block).
  // Responses are always written back on the connection's io thread.
  unsigned handler_threads = 0;
  size_t max_queue = 4096;         // pool queue bound; when full, 503 without calling the handler
  uint64_t max_body = 1 << 20;     // larger request body => 413 and close
  uint32_t max_header = 64 << 10;  // larger request header block => 431 and close
  // A connection is closed when a request does not arrive completely within this long of the
  // connection becoming idle, or a response cannot be written within it.
  std::chrono::milliseconds idle_timeout{60000};
};

namespace internal {
class ServerState;
class Listener;
class IoThreads;
}  // namespace internal

// A running server: created bound and serving by start(), stopped by shutdown() or the
// destructor. All public functions are thread-safe, but shutdown() and the destructor must not
// be called from inside a handler (they join the threads that run handlers).
class Server {
 public:
  // Binds, listens and starts the threads. Errors name the address and the reason, e.g.
  // "bind 127.0.0.1:80: Address already in use" or "bind address 'x': invalid IP literal".
  static Result<std::unique_ptr<Server>> start(ServerOptions options, Handler handler);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();  // shutdown(0ms)

  // The bound port (the real one when options.port was 0).
  uint16_t port() const { return port_; }

  // Graceful stop: stops accepting, lets queued and running handlers finish and their responses
  // be written (with Connection: close; hung requests are not waited for), waits up to `grace`
  // for that, then closes every connection and joins all threads. Requests still queued for
  // the pool after `grace` are dropped; a handler still running is waited for. Idempotent.
  void shutdown(std::chrono::milliseconds grace);

  // Requests accepted and not finished: queued, in a handler, being written, or hung.
  size_t in_flight() const;
  // Open connections.
  size_t connections() const;

 private:
  Server() = default;

  uint16_t port_ = 0;
  std::shared_ptr<internal::ServerState> state_;
  std::unique_ptr<internal::IoThreads> io_;
  std::shared_ptr<internal::Listener> listener_;
  std::mutex shutdown_mu_;  // serialises shutdown(); guards done_
  bool done_ = false;
};

// Beast (Boost 1.74) hands out boost::string_view; this views the same bytes as std.
inline std::string_view to_std(boost::beast::string_view text) {
  return std::string_view(text.data(), text.size());
}

// Builds a response with status, Content-Type and body; version and keep-alive are copied from
// the request. Content-Length is set when the server writes it.
Response make_response(const Request& request, boost::beast::http::status status,
                       std::string_view content_type, std::string body);

}  // namespace stampede::http
