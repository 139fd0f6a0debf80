// CurlTransport: the Transport on libcurl's multi "socket" API, driven by a worker's EventLoop.
//
// Owned by one worker thread; not thread-safe. Easy handles are pooled and reused so their
// connections stay warm in the multi handle's connection cache (one cache per worker, shared
// by that worker's VUs, like a browser's pool). Redirects are not followed here: the caller
// sees every hop, so cookies and per-hop metrics stay right.
#pragma once

#include <curl/curl.h>

#include <string>
#include <vector>

#include "engine/core/event_loop.h"
#include "engine/http/transport.h"

namespace stampede {

struct CurlTransportOptions {
  std::string user_agent = "stampede/0.1";
  long max_connects = 0;  // 0: libcurl's default connection cache size
  bool insecure_skip_tls_verify = false;
};

class CurlTransport final : public Transport, private FdHandler, private TimerHandler {
 public:
  CurlTransport(EventLoop& loop, TransportCallback& callback, CurlTransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  void start(HttpExchange* exchange) override;
  void cancel(HttpExchange* exchange) override;
  size_t in_flight() const override { return in_flight_; }

 private:
  struct Easy;  // a pooled easy handle with its header list

  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socketp);
  static int on_close_socket(void* self, curl_socket_t fd);
  static int on_curl_timer(CURLM* multi, long timeout_ms, void* self);
  static size_t on_header(char* data, size_t size, size_t count, void* exchange);
  static size_t on_body(char* data, size_t size, size_t count, void* exchange);

  void on_fd_ready(int fd, uint32_t epoll_events) override;
  void on_timer(uint64_t token) override;
  void drain_completions();
  void finish(Easy* easy, CURLcode code);
  Easy* acquire();
  void release(Easy* easy);

  EventLoop& loop_;
  TransportCallback& callback_;
  CurlTransportOptions options_;
  CURLM* multi_ = nullptr;
  std::vector<Easy*> free_;  // owned
  std::vector<Easy*> all_;   // owned: every Easy ever made
  // epoll interest per fd (kIn/kOut bits, 0: not registered). A socket libcurl stops watching
  // after a transfer stays registered for reading while it idles in the connection cache
  // (`idle_`), so a kept-alive connection costs no epoll_ctl per request; only a real close
  // (on_close_socket) or traffic on an idle socket unregisters it.
  std::vector<uint8_t> interest_;
  std::vector<bool> idle_;
  Deadline curl_deadline_;
  size_t in_flight_ = 0;
};

}  // namespace stampede
