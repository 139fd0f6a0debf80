#include "shop-reference/orders/order_recovery.h"

#include "shop-reference/common/log.h"
#include "shop-reference/common/shop_metrics.h"

namespace shop {

OrderRecovery::OrderRecovery(OrderStore& store, OrderCompensation& compensation,
                             std::chrono::milliseconds interval, std::chrono::milliseconds after)
    : store_(store), compensation_(compensation), interval_(interval), after_(after) {
  thread_ = std::thread([this] { loop(); });
}

OrderRecovery::~OrderRecovery() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

int OrderRecovery::run_once() {
  static auto& by_status =
      registry().gauge("shop_orders", "Orders on record, by status.", {"status"});
  if (auto counts = store_.counts_by_status(); counts.ok()) {
    for (const auto& [status, n] : counts.value()) {
      by_status.with({hipstershop::OrderStatus_Name(status)}).set(static_cast<double>(n));
    }
  }
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto stale = store_.in_flight(now - after_.count());
  if (!stale.ok()) {
    log_warn("recovery: " + stale.error().message());
    return 0;
  }
  int settled = 0;
  for (const auto& order : stale.value()) {
    grpc::Status s = compensation_.settle(order);
    if (s.ok()) {
      ++settled;
    } else {
      log_warn("recovery: order " + order.order_id() + " not settled yet: " + s.error_message());
    }
  }
  return settled;
}

void OrderRecovery::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, interval_, [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    run_once();
    lock.lock();
  }
}

}  // namespace shop
