#include "engine/http/curl_transport.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace stampede {

struct CurlTransport::Easy {
  CURL* handle = nullptr;
  curl_slist* headers = nullptr;
  HttpExchange* exchange = nullptr;
};

namespace {

Nanos micros(curl_off_t us) {
  return static_cast<Nanos>(us) * kNanosPerMicro;
}

HttpErrorKind classify(CURLcode code, long os_errno) {
  switch (code) {
    case CURLE_OK:
      return HttpErrorKind::kNone;
    case CURLE_COULDNT_CONNECT:
      if (os_errno == ETIMEDOUT) return HttpErrorKind::kTimeout;
      if (os_errno == ECONNRESET) return HttpErrorKind::kConnectionReset;
      return HttpErrorKind::kConnectionRefused;
    case CURLE_OPERATION_TIMEDOUT:
      return HttpErrorKind::kTimeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return HttpErrorKind::kDns;
    case CURLE_GOT_NOTHING:
      return HttpErrorKind::kEmptyReply;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return os_errno == ECONNRESET || os_errno == EPIPE ? HttpErrorKind::kConnectionReset
                                                         : HttpErrorKind::kOther;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return HttpErrorKind::kTls;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return HttpErrorKind::kInvalidUrl;
    case CURLE_FILESIZE_EXCEEDED:
      return HttpErrorKind::kTooLarge;
    default:
      return HttpErrorKind::kOther;
  }
}

}  // namespace

CurlTransport::CurlTransport(EventLoop& loop, TransportCallback& callback,
                             CurlTransportOptions options)
    : loop_(loop),
      callback_(callback),
      options_(std::move(options)),
      curl_deadline_(loop, this, 0) {
  multi_ = curl_multi_init();
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlTransport::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlTransport::on_curl_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  if (options_.max_connects > 0) {
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, options_.max_connects);
  }
}

CurlTransport::~CurlTransport() {
  for (Easy* easy : all_) {
    if (easy->exchange != nullptr) curl_multi_remove_handle(multi_, easy->handle);
    curl_slist_free_all(easy->headers);
    curl_easy_cleanup(easy->handle);
    delete easy;
  }
  curl_multi_cleanup(multi_);
}

CurlTransport::Easy* CurlTransport::acquire() {
  if (!free_.empty()) {
    Easy* easy = free_.back();
    free_.pop_back();
    curl_easy_reset(easy->handle);  // keeps the handle's connection and DNS caches
    return easy;
  }
  Easy* easy = new Easy;
  easy->handle = curl_easy_init();
  all_.push_back(easy);
  return easy;
}

void CurlTransport::release(Easy* easy) {
  curl_slist_free_all(easy->headers);
  easy->headers = nullptr;
  easy->exchange = nullptr;
  free_.push_back(easy);
}

void CurlTransport::start(HttpExchange* exchange) {
  HttpRequest& req = exchange->request;
  exchange->response.clear();
  Easy* easy = acquire();
  easy->exchange = exchange;
  exchange->transport_handle = easy;
  CURL* h = easy->handle;

  curl_easy_setopt(h, CURLOPT_PRIVATE, easy);
  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &CurlTransport::on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, exchange);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &CurlTransport::on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, exchange);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                   std::max(1L, static_cast<long>(req.timeout / kNanosPerMilli)));
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_CLOSESOCKETFUNCTION, &CurlTransport::on_close_socket);
  curl_easy_setopt(h, CURLOPT_CLOSESOCKETDATA, this);
  if (options_.insecure_skip_tls_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }

  const std::string& m = req.method;
  if (m == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (m == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    if (m != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m.c_str());
    if (m == "POST" || !req.body.empty()) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
    }
  }
  for (const std::string& header : req.headers) {
    easy->headers = curl_slist_append(easy->headers, header.c_str());
  }
  if (!req.body.empty()) easy->headers = curl_slist_append(easy->headers, "Expect:");
  if (easy->headers != nullptr) curl_easy_setopt(h, CURLOPT_HTTPHEADER, easy->headers);
  if (!req.cookie.empty()) curl_easy_setopt(h, CURLOPT_COOKIE, req.cookie.c_str());

  exchange->response.timings.started_at = monotonic_now();
  ++in_flight_;
  CURLMcode rc = curl_multi_add_handle(multi_, h);
  if (rc != CURLM_OK) {
    --in_flight_;
    exchange->response.error = HttpErrorKind::kOther;
    exchange->response.error_message = curl_multi_strerror(rc);
    exchange->response.timings.finished_at = monotonic_now();
    release(easy);
    exchange->transport_handle = nullptr;
    callback_.on_exchange_done(exchange);
  }
}

void CurlTransport::cancel(HttpExchange* exchange) {
  auto* easy = static_cast<Easy*>(exchange->transport_handle);
  if (easy == nullptr) return;
  curl_multi_remove_handle(multi_, easy->handle);
  exchange->transport_handle = nullptr;
  --in_flight_;
  release(easy);
}

namespace {
constexpr uint8_t kIn = 1;
constexpr uint8_t kOut = 2;
}  // namespace

int CurlTransport::on_socket(CURL*, curl_socket_t fd, int what, void* self_ptr, void*) {
  auto* self = static_cast<CurlTransport*>(self_ptr);
  if (static_cast<size_t>(fd) >= self->interest_.size()) {
    self->interest_.resize(fd + 1, 0);
    self->idle_.resize(fd + 1, false);
  }
  uint8_t& interest = self->interest_[fd];
  if (what == CURL_POLL_REMOVE) {
    if (interest & kOut) {  // a writable socket would wake us constantly: really remove it
      self->loop_.remove_fd(fd);
      interest = 0;
    } else if (interest != 0) {
      self->idle_[fd] = true;
    }
    return 0;
  }
  uint8_t want = ((what & CURL_POLL_IN) ? kIn : 0) | ((what & CURL_POLL_OUT) ? kOut : 0);
  self->idle_[fd] = false;
  if (want == interest) return 0;
  uint32_t events =
      ((want & kIn) ? uint32_t{EPOLLIN} : 0u) | ((want & kOut) ? uint32_t{EPOLLOUT} : 0u);
  if (interest == 0) {
    self->loop_.add_fd(fd, events, self);
  } else {
    self->loop_.modify_fd(fd, events, self);
  }
  interest = want;
  return 0;
}

int CurlTransport::on_close_socket(void* self_ptr, curl_socket_t fd) {
  auto* self = static_cast<CurlTransport*>(self_ptr);
  if (static_cast<size_t>(fd) < self->interest_.size() && self->interest_[fd] != 0) {
    self->loop_.forget_fd(fd);  // closing drops it from epoll
    self->interest_[fd] = 0;
    self->idle_[fd] = false;
  }
  return close(fd);
}

int CurlTransport::on_curl_timer(CURLM*, long timeout_ms, void* self_ptr) {
  auto* self = static_cast<CurlTransport*>(self_ptr);
  if (timeout_ms < 0) {
    self->curl_deadline_.clear();
  } else {
    self->curl_deadline_.set(monotonic_now() + timeout_ms * kNanosPerMilli);
  }
  return 0;
}

void CurlTransport::on_timer(uint64_t) {
  int running = 0;
  curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  drain_completions();
}

void CurlTransport::on_fd_ready(int fd, uint32_t epoll_events) {
  if (idle_[fd]) {
    // Data or a close on a socket idling in libcurl's cache: stop watching it; libcurl notices
    // the dead connection when it next tries to reuse it.
    loop_.remove_fd(fd);
    interest_[fd] = 0;
    idle_[fd] = false;
    return;
  }
  int flags = 0;
  if (epoll_events & EPOLLIN) flags |= CURL_CSELECT_IN;
  if (epoll_events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
  if (epoll_events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
  int running = 0;
  curl_multi_socket_action(multi_, fd, flags, &running);
  drain_completions();
}

size_t CurlTransport::on_header(char* data, size_t size, size_t count, void* exchange_ptr) {
  auto* exchange = static_cast<HttpExchange*>(exchange_ptr);
  size_t n = size * count;
  HttpResponse& resp = exchange->response;
  if (n >= 5 && std::memcmp(data, "HTTP/", 5) == 0) {
    // A new response begins (e.g. after "100 Continue"): only the last one counts.
    resp.headers_raw.clear();
    const char* space = static_cast<const char*>(std::memchr(data, ' ', n));
    resp.proto.assign(data, space != nullptr ? static_cast<size_t>(space - data) : n);
    if (space != nullptr) resp.status = std::atoi(space + 1);
    return n;
  }
  if (n == 2 && data[0] == '\r') return n;  // end of headers
  resp.headers_raw.append(data, n);
  return n;
}

size_t CurlTransport::on_body(char* data, size_t size, size_t count, void* exchange_ptr) {
  auto* exchange = static_cast<HttpExchange*>(exchange_ptr);
  size_t n = size * count;
  if (!exchange->request.discard_body) exchange->response.body.append(data, n);
  return n;
}

void CurlTransport::drain_completions() {
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Easy* easy = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &easy);
    finish(easy, msg->data.result);
  }
}

void CurlTransport::finish(Easy* easy, CURLcode code) {
  CURL* h = easy->handle;
  HttpExchange* exchange = easy->exchange;
  HttpResponse& resp = exchange->response;
  HttpTimings& t = resp.timings;
  t.finished_at = monotonic_now();

  curl_off_t dns = 0, connect = 0, tls = 0, pretransfer = 0, first_byte = 0, total = 0;
  curl_easy_getinfo(h, CURLINFO_NAMELOOKUP_TIME_T, &dns);
  curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect);
  curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &tls);
  curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
  curl_easy_getinfo(h, CURLINFO_STARTTRANSFER_TIME_T, &first_byte);
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &total);
  // k6's phases from curl's cumulative times. With the multi-socket API, libcurl 7.88 stamps
  // PRETRANSFER only when the transfer moves to PERFORMING, which happens on the next socket
  // event — usually once the response is already there — so pretransfer is not used. Waiting
  // runs from the connection being ready (at once for a reused one) to the first response byte;
  // it includes writing the request, which libcurl does not time ("sending" is reported as 0).
  (void)pretransfer;
  curl_off_t ready = std::max({dns, connect, tls});
  t.blocked = micros(dns);
  t.connecting = connect > dns ? micros(connect - dns) : 0;
  t.tls_handshaking = tls > connect ? micros(tls - connect) : 0;
  t.sending = 0;
  if (first_byte > 0) {
    t.waiting = first_byte > ready ? micros(first_byte - ready) : 0;
    t.receiving = total > first_byte ? micros(total - first_byte) : 0;
  } else {  // no response byte arrived (an error)
    t.waiting = total > ready ? micros(total - ready) : 0;
  }
  t.duration = t.sending + t.waiting + t.receiving;

  long header_bytes = 0, request_bytes = 0;
  curl_off_t up = 0, down = 0;
  curl_easy_getinfo(h, CURLINFO_HEADER_SIZE, &header_bytes);
  curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_bytes);
  curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &up);
  curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &down);
  resp.bytes_sent = request_bytes + up;
  resp.bytes_received = header_bytes + down;

  if (code != CURLE_OK) {
    long os_errno = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    resp.error = classify(code, os_errno);
    resp.error_message = curl_easy_strerror(code);
    resp.status = 0;
  }

  curl_multi_remove_handle(multi_, h);
  exchange->transport_handle = nullptr;
  --in_flight_;
  release(easy);
  callback_.on_exchange_done(exchange);
}

}  // namespace stampede
