// Transport: sends HTTP exchanges for one worker.
//
// A transport is driven by its worker's EventLoop and calls back on the same thread. It owns
// its connections; workers share nothing. start() never blocks; completion (success or error)
// is reported once through TransportCallback unless the exchange was cancelled first.
#pragma once

#include "engine/http/http_exchange.h"

namespace stampede {

class TransportCallback {
 public:
  virtual ~TransportCallback() = default;
  // Called on the worker thread when `exchange` finished; its response is filled in.
  virtual void on_exchange_done(HttpExchange* exchange) = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Begins sending; `exchange` must stay valid until on_exchange_done or cancel().
  virtual void start(HttpExchange* exchange) = 0;
  // Abandons an in-flight exchange; no callback follows.
  virtual void cancel(HttpExchange* exchange) = 0;
  // Number of exchanges in flight.
  virtual size_t in_flight() const = 0;
};

}  // namespace stampede
