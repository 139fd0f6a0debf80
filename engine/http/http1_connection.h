// Http1Connection: one nonblocking TCP connection carrying HTTP/1.1 exchanges one at a time.
//
// open() starts a nonblocking connect (TCP_NODELAY) and registers the fd with the EventLoop once
// for EPOLLIN|EPOLLRDHUP (plus EPOLLOUT only while connecting or while a write waits), so a kept-
// alive request costs one sendmsg() and one recv() and no epoll_ctl. The response is parsed into
// the exchange as it arrives. The end of an exchange and the loss of an idle connection are
// reported to the Listener as the connection's last action in that event, so the listener may
// destroy it there. Bytes read land in a buffer shared by all connections of a transport: they
// are fully consumed before any callback. Owned by one transport on one worker thread; not
// thread-safe. The destructor deregisters and closes the socket without callbacks.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <span>
#include <string_view>

#include "engine/core/event_loop.h"
#include "engine/http/http1_parser.h"
#include "engine/http/http1_request.h"
#include "engine/http/http_exchange.h"
#include "engine/http/unique_fd.h"

namespace stampede {

class Http1Connection final : private FdHandler {
 public:
  // How an exchange ended.
  struct Outcome {
    HttpErrorKind error = HttpErrorKind::kNone;
    int sys_errno = 0;      // behind a socket error, else 0
    const char* what = "";  // static text: "connect", "send", "recv" or the parser's message
    bool response_started = false;  // a byte of the response arrived on this connection
    bool reusable = false;          // the connection is idle and may carry another request
  };

  class Listener {
   public:
    virtual ~Listener() = default;
    // The exchange passed to send() ended; the connection is idle when outcome.reusable.
    virtual void on_exchange_end(Http1Connection* connection, const Outcome& outcome) = 0;
    // An idle connection was closed by the peer or received unexpected bytes: discard it.
    virtual void on_idle_lost(Http1Connection* connection) = 0;
  };

  // Bookkeeping for the owner (e.g. pool membership); the connection never reads it.
  struct OwnerData {
    void* pool = nullptr;          // the pool the connection belongs to
    void* request = nullptr;       // the owner's record of the exchange it carries
    size_t index = 0;              // position in the owner's list of connections
    size_t idle_index = SIZE_MAX;  // position in the owner's idle list; SIZE_MAX: not idle
  };

  Http1Connection(EventLoop& loop, Listener& listener, std::span<char> read_buffer);
  ~Http1Connection() override;
  Http1Connection(const Http1Connection&) = delete;
  Http1Connection& operator=(const Http1Connection&) = delete;

  // Creates the socket and starts connecting. Returns 0, or the errno (ECONNREFUSED, EMFILE...).
  int open(const sockaddr* address, socklen_t address_len);

  // Sends `head` then `body` (views that must stay valid until the exchange ends) and reads the
  // response into exchange->response (bytes, sending/waiting/receiving timings). While still
  // connecting, the write waits for the connection. Returns true when the exchange is under
  // way; false when it ended at once (then *outcome is filled and the listener is not called).
  bool send(HttpExchange* exchange, std::string_view head, std::string_view body,
            const Http1RequestHead& info, const Http1Parser::Limits& limits, Outcome* outcome);

  // Fills sending/waiting/receiving of `t` as of `now` (used when an exchange is abandoned).
  void fill_timings(HttpTimings* t, Nanos now) const;

  bool idle() const { return state_ == State::kIdle; }
  // Exchanges begun on this connection, the current one included.
  int uses() const { return uses_; }
  // Time from open() to the connection being established; 0 until then.
  Nanos connect_duration() const { return connect_duration_; }
  OwnerData& owner_data() { return owner_data_; }

 private:
  enum class State : uint8_t { kNew, kConnecting, kIdle, kBusy, kBroken };

  void on_fd_ready(int fd, uint32_t events) override;
  bool flush();
  void read_response();
  void end(Outcome outcome);
  void end_with_errno(int err, const char* what);
  void set_events(uint32_t events);
  bool writing() const { return written_ < head_.size() + body_.size(); }

  EventLoop& loop_;
  Listener& listener_;
  std::span<char> read_buffer_;
  UniqueFd fd_;
  State state_ = State::kNew;
  bool want_out_ = false;  // EPOLLOUT is in the registered events
  bool in_send_ = false;   // inside send(): end() stores the outcome instead of calling back
  bool ended_in_send_ = false;
  Outcome send_outcome_;
  bool close_after_ = false;
  int uses_ = 0;
  OwnerData owner_data_;
  Http1Parser parser_;

  HttpExchange* exchange_ = nullptr;
  std::string_view head_;
  std::string_view body_;
  size_t written_ = 0;
  Nanos connect_started_ = 0;
  Nanos connect_duration_ = 0;
  Nanos write_started_ = 0;
  Nanos write_done_ = 0;
  Nanos first_byte_ = 0;
  Nanos last_byte_ = 0;
};

}  // namespace stampede
