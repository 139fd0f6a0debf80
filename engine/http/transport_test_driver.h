// TransportTestDriver: an EventLoop, a NativeTransport on it and a TransportCallback that
// records completions, for transport tests. Exchanges it makes live as long as the driver.
// Single-threaded, test-only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/event_loop.h"
#include "engine/http/native_transport.h"

namespace stampede {

class TransportTestDriver : public TransportCallback {
 public:
  explicit TransportTestDriver(NativeTransportOptions options = {})
      : transport_(loop_, *this, std::move(options)) {}

  // A new exchange owned by the driver.
  HttpExchange* make(const std::string& method, const std::string& url) {
    exchanges_.push_back(std::make_unique<HttpExchange>());
    HttpExchange* e = exchanges_.back().get();
    e->request.method = method;
    e->request.url = url;
    return e;
  }

  // Runs the loop until `done_when` holds or `limit` passes; returns whether it held.
  bool run_until(const std::function<bool()>& done_when, Nanos limit = 10 * kNanosPerSecond) {
    Nanos end = monotonic_now() + limit;
    while (!done_when()) {
      Nanos now = monotonic_now();
      if (now >= end) return false;
      loop_.run_once(std::min(end, now + 20 * kNanosPerMilli));
    }
    return true;
  }

  // Runs the loop for `duration` whatever happens.
  void run_for(Nanos duration) {
    Nanos end = monotonic_now() + duration;
    while (monotonic_now() < end) loop_.run_once(end);
  }

  // Starts `e` and runs until it is done (or 10 s passed).
  HttpResponse& fetch(HttpExchange* e) {
    size_t before = done_.size();
    transport_.start(e);
    run_until([&] { return done_.size() > before; });
    return e->response;
  }
  HttpResponse& get(const std::string& url) { return fetch(make("GET", url)); }

  void on_exchange_done(HttpExchange* exchange) override {
    done_.push_back(exchange);
    if (on_done_) on_done_(exchange);
  }

  EventLoop& loop() { return loop_; }
  NativeTransport& transport() { return transport_; }
  const std::vector<HttpExchange*>& done() const { return done_; }
  void set_on_done(std::function<void(HttpExchange*)> fn) { on_done_ = std::move(fn); }

 private:
  EventLoop loop_;
  NativeTransport transport_;  // after loop_: destroyed first
  std::vector<std::unique_ptr<HttpExchange>> exchanges_;
  std::vector<HttpExchange*> done_;
  std::function<void(HttpExchange*)> on_done_;
};

}  // namespace stampede
