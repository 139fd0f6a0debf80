// The recovery loop of the order service: every interval, orders left in flight longer than a
// threshold (their checkout crashed, or its compensation could not reach payment) are settled
// by OrderCompensation. Several replicas may run it at once: every step is idempotent and each
// status move is a conditional write.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "shop-reference/orders/order_compensation.h"
#include "shop-reference/orders/order_store.h"

namespace shop {

// Owns its thread: started by the constructor, stopped and joined by the destructor.
class OrderRecovery {
 public:
  // `after`: how long an order may stay in flight (keep it well above checkout's deadlines).
  OrderRecovery(OrderStore& store, OrderCompensation& compensation,
                std::chrono::milliseconds interval, std::chrono::milliseconds after);
  ~OrderRecovery();
  OrderRecovery(const OrderRecovery&) = delete;
  OrderRecovery& operator=(const OrderRecovery&) = delete;

  // One pass, synchronously: returns how many orders were settled.
  int run_once();

 private:
  void loop();

  OrderStore& store_;
  OrderCompensation& compensation_;
  const std::chrono::milliseconds interval_;
  const std::chrono::milliseconds after_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace shop
