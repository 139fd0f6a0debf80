// The shop's system of record for orders: an event-sourced write side (order_events, append-only)
// and a projected read view (orders_view, one row per order) updated in the same SQLite
// transaction, in `<data_dir>/orders.db` (WAL, busy_timeout; several processes may share it).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "orders.pb.h"
#include "shop-reference/orders/clock.h"
#include "shop-reference/orders/order_moves.h"
#include "shop-reference/orders/sqlite.h"
#include "shop-reference/orders/store_error.h"

namespace shop {

// Orders in one SQLite file. Owns its connection; every method is thread-safe (one internal
// mutex) and each write is one BEGIN IMMEDIATE transaction, so OrderStores in other threads or
// processes on the same file see each move exactly once. Returned Orders are copies.
class OrderStore {
 public:
  // The schema version this build writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 1;

  // Opens (creating dir, file and schema as needed) `<data_dir>/orders.db`, or a private
  // in-memory store when data_dir is ":memory:". kUnavailable when the file cannot be opened;
  // kFailedPrecondition when its schema is newer than this build.
  static StoreResult<std::unique_ptr<OrderStore>> open(const std::string& data_dir,
                                                       Clock clock = system_clock_ms);
  // Opens an existing `<data_dir>/orders.db` read-only (the audit). kUnavailable naming the file
  // when it is missing or unreadable; writes then fail with kUnavailable.
  static StoreResult<std::unique_ptr<OrderStore>> open_read_only(const std::string& data_dir);

  // Records a new PENDING order. kInvalidArgument for empty order_id/user_id, a malformed currency
  // code or invalid money/items; kAlreadyExists for a known order_id.
  StoreResult<hipstershop::Order> begin(const hipstershop::BeginOrderRequest& request);

  // Moves an order to `status` (see is_allowed_move); a move to its current status is a no-op
  // returning the order. Non-empty transaction_id/tracking_id are recorded (CHARGED needs the
  // first, SHIPPED the second). kNotFound, kInvalidArgument (empty id, bad status, missing id),
  // kFailedPrecondition naming from/to for a forbidden move or an id that contradicts the stored
  // one.
  StoreResult<hipstershop::Order> advance(const std::string& order_id,
                                          hipstershop::OrderStatus status,
                                          const std::string& transaction_id,
                                          const std::string& tracking_id,
                                          const std::string& detail);
  // Same, from the wire request.
  StoreResult<hipstershop::Order> advance(const hipstershop::AdvanceOrderRequest& request);

  // The order with its history (oldest first). kNotFound for an unknown id.
  StoreResult<hipstershop::Order> get(const std::string& order_id);
  // The user's orders with history, newest first (empty for an unknown user).
  StoreResult<std::vector<hipstershop::Order>> list_by_user(const std::string& user_id);
  // Orders in an in-flight status whose last update is before `older_than_ms` (unix ms), oldest
  // update first, with history.
  StoreResult<std::vector<hipstershop::Order>> in_flight(int64_t older_than_ms);
  // Every order, oldest first, WITHOUT history (the audit's scan).
  StoreResult<std::vector<hipstershop::Order>> all_orders();
  // Number of orders per status (statuses with no order are absent), from a few-row table kept
  // in step by every write, so metrics scrapes never scan the orders.
  StoreResult<std::map<hipstershop::OrderStatus, int64_t>> counts_by_status();

 private:
  OrderStore(sqlite::Database db, Clock clock) : db_(std::move(db)), clock_(std::move(clock)) {}
  // Reads rows from a SELECT of kViewColumns; history when with_history. Caller holds mu_.
  StoreResult<std::vector<hipstershop::Order>> load(sqlite::Statement& stmt, bool with_history);
  StoreStatus load_history(hipstershop::Order& order);
  StoreResult<hipstershop::Order> get_locked(const std::string& order_id);

  std::mutex mu_;
  sqlite::Database db_;  // guarded by mu_
  Clock clock_;
};

}  // namespace shop
