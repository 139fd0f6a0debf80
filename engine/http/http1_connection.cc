#include "engine/http/http1_connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>

namespace stampede {
namespace {

constexpr uint32_t kIdleEvents = EPOLLIN | EPOLLRDHUP;
constexpr uint32_t kWriteEvents = EPOLLIN | EPOLLRDHUP | EPOLLOUT;
constexpr uint32_t kReadableEvents = EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR;

// Like curl_transport.cc's classify(): a failed connect is "refused" unless it timed out or was
// reset; on an established connection only resets are named.
HttpErrorKind classify_errno(int err, bool connecting) {
  if (err == ECONNREFUSED) return HttpErrorKind::kConnectionRefused;
  if (err == ETIMEDOUT) return HttpErrorKind::kTimeout;
  if (err == ECONNRESET || err == EPIPE) return HttpErrorKind::kConnectionReset;
  return connecting ? HttpErrorKind::kConnectionRefused : HttpErrorKind::kOther;
}

}  // namespace

Http1Connection::Http1Connection(EventLoop& loop, Listener& listener, std::span<char> read_buffer)
    : loop_(loop), listener_(listener), read_buffer_(read_buffer) {}

Http1Connection::~Http1Connection() {
  // Closing the socket drops it from epoll (it is never dup'ed), so no epoll_ctl is needed.
  if (state_ != State::kNew) loop_.forget_fd(fd_.get());
}

int Http1Connection::open(const sockaddr* address, socklen_t address_len) {
  fd_.reset(socket(address->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
  if (!fd_.valid()) return errno;
  int one = 1;
  setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  connect_started_ = monotonic_now();
  if (connect(fd_.get(), address, address_len) != 0 && errno != EINPROGRESS && errno != EINTR) {
    return errno;
  }
  if (!loop_.add_fd(fd_.get(), kWriteEvents, this).ok()) return EBADF;
  state_ = State::kConnecting;
  want_out_ = true;
  return 0;
}

bool Http1Connection::send(HttpExchange* exchange, std::string_view head, std::string_view body,
                           const Http1RequestHead& info, const Http1Parser::Limits& limits,
                           Outcome* outcome) {
  exchange_ = exchange;
  head_ = head;
  body_ = info.send_body ? body : std::string_view();
  written_ = 0;
  close_after_ = info.close_after;
  write_started_ = write_done_ = first_byte_ = last_byte_ = 0;
  parser_.reset(limits, info.head_request, !exchange->request.discard_body);
  ++uses_;
  if (state_ == State::kConnecting) return true;  // the write starts once connected
  state_ = State::kBusy;
  in_send_ = true;
  ended_in_send_ = false;
  flush();
  in_send_ = false;
  if (!ended_in_send_) return true;
  *outcome = send_outcome_;
  return false;
}

void Http1Connection::on_fd_ready(int, uint32_t events) {
  switch (state_) {
    case State::kIdle: {
      // Stray readiness (e.g. reported for an earlier socket with this fd number) is harmless;
      // data or EOF on an idle connection makes it unusable.
      ssize_t n = recv(fd_.get(), read_buffer_.data(), 1, MSG_PEEK);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
      state_ = State::kBroken;
      listener_.on_idle_lost(this);
      return;
    }
    case State::kConnecting: {
      int err = 0;
      socklen_t len = sizeof(err);
      if (getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      if (exchange_ == nullptr) {  // opened ahead of any exchange
        if (err != 0) {
          state_ = State::kBroken;
          return listener_.on_idle_lost(this);
        }
        connect_duration_ = monotonic_now() - connect_started_;
        state_ = State::kIdle;
        return set_events(kIdleEvents);
      }
      if (err != 0) return end_with_errno(err, "connect");
      connect_duration_ = monotonic_now() - connect_started_;
      state_ = State::kBusy;
      if (!flush()) return;
      if (!(events & kReadableEvents)) return;
      break;
    }
    case State::kBusy:
      if (writing()) {
        if (!flush()) return;
        if (!(events & kReadableEvents)) return;
      }
      break;
    default:
      return;
  }
  read_response();
}

bool Http1Connection::flush() {
  HttpResponse& resp = exchange_->response;
  if (write_started_ == 0) write_started_ = monotonic_now();
  while (writing()) {
    iovec iov[2];
    int count = 0;
    if (written_ < head_.size()) {
      iov[count++] = {const_cast<char*>(head_.data()) + written_, head_.size() - written_};
      if (!body_.empty()) iov[count++] = {const_cast<char*>(body_.data()), body_.size()};
    } else {
      size_t offset = written_ - head_.size();
      iov[count++] = {const_cast<char*>(body_.data()) + offset, body_.size() - offset};
    }
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<size_t>(count);
    ssize_t n = sendmsg(fd_.get(), &msg, MSG_NOSIGNAL);
    if (n >= 0) {
      written_ += static_cast<size_t>(n);
      resp.bytes_sent += n;
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!want_out_) set_events(kWriteEvents);
      return true;
    }
    end_with_errno(errno, "send");
    return false;
  }
  write_done_ = monotonic_now();
  if (want_out_) set_events(kIdleEvents);
  return true;
}

void Http1Connection::read_response() {
  HttpResponse& resp = exchange_->response;
  for (;;) {
    ssize_t n = recv(fd_.get(), read_buffer_.data(), read_buffer_.size(), 0);
    if (n > 0) {
      Nanos now = monotonic_now();
      if (first_byte_ == 0) first_byte_ = now;
      resp.bytes_received += n;
      size_t used = 0;
      std::string_view data(read_buffer_.data(), static_cast<size_t>(n));
      Http1Parser::Result result = parser_.feed(data, &resp, &used);
      if (result == Http1Parser::Result::kDone) {
        last_byte_ = now;
        // Bytes beyond the response, or a response before the request was fully written,
        // leave the connection in a state we do not reuse.
        bool reusable = parser_.keep_alive() && used == data.size() && !writing() && !close_after_;
        return end(Outcome{HttpErrorKind::kNone, 0, "", true, reusable});
      }
      if (result == Http1Parser::Result::kError) {
        return end(Outcome{parser_.error(), 0, parser_.error_message(), true, false});
      }
      if (static_cast<size_t>(n) < read_buffer_.size()) return;  // wait for more
      continue;
    }
    if (n == 0) {
      last_byte_ = monotonic_now();
      bool started = first_byte_ != 0;
      if (parser_.finish() == Http1Parser::Result::kDone) {
        return end(Outcome{HttpErrorKind::kNone, 0, "", started, false});
      }
      return end(Outcome{parser_.error(), 0, parser_.error_message(), started, false});
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    return end_with_errno(errno, "recv");
  }
}

void Http1Connection::end_with_errno(int err, const char* what) {
  bool connecting = state_ == State::kConnecting;
  end(Outcome{classify_errno(err, connecting), err, what, first_byte_ != 0, false});
}

void Http1Connection::fill_timings(HttpTimings* t, Nanos now) const {
  t->sending = t->waiting = t->receiving = 0;
  if (write_started_ == 0) return;
  Nanos written = write_done_ != 0 ? write_done_ : (first_byte_ != 0 ? first_byte_ : now);
  t->sending = std::max<Nanos>(written - write_started_, 0);
  if (first_byte_ == 0) {
    t->waiting = std::max<Nanos>(now - written, 0);
    return;
  }
  t->waiting = std::max<Nanos>(first_byte_ - written, 0);
  t->receiving = std::max<Nanos>((last_byte_ != 0 ? last_byte_ : now) - first_byte_, 0);
}

void Http1Connection::end(Outcome outcome) {
  fill_timings(&exchange_->response.timings, monotonic_now());
  exchange_ = nullptr;
  head_ = body_ = {};
  written_ = 0;
  state_ = outcome.reusable ? State::kIdle : State::kBroken;
  if (in_send_) {
    ended_in_send_ = true;
    send_outcome_ = outcome;
    return;
  }
  listener_.on_exchange_end(this, outcome);  // may destroy *this: nothing after it
}

void Http1Connection::set_events(uint32_t events) {
  loop_.modify_fd(fd_.get(), events, this);
  want_out_ = (events & EPOLLOUT) != 0;
}

}  // namespace stampede
