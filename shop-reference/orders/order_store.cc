#include "shop-reference/orders/order_store.h"

#include <utility>

#include "shop-reference/orders/store_file.h"

namespace shop {
namespace {

using hipstershop::Order;
using hipstershop::OrderStatus;

constexpr char kFileName[] = "orders.db";

// orders_view keeps its rowid (insertion order) as the tie-breaker for equal timestamps.
// status_counts is maintained in the same transactions so metrics read a handful of rows.
constexpr char kSchema[] = R"sql(
CREATE TABLE order_events(
  order_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  status INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  detail TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  tracking_id TEXT NOT NULL,
  PRIMARY KEY (order_id, seq)) WITHOUT ROWID;
CREATE TABLE orders_view(
  order_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  status INTEGER NOT NULL,
  email TEXT NOT NULL,
  currency_code TEXT NOT NULL,
  items BLOB NOT NULL,
  shipping_cost BLOB NOT NULL,
  total BLOB NOT NULL,
  shipping_address BLOB NOT NULL,
  transaction_id TEXT NOT NULL,
  tracking_id TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  last_seq INTEGER NOT NULL);
CREATE INDEX orders_view_by_user ON orders_view(user_id, created_ms);
CREATE INDEX orders_view_by_status ON orders_view(status, updated_ms);
CREATE TABLE status_counts(status INTEGER PRIMARY KEY, n INTEGER NOT NULL);
PRAGMA user_version = 1;  -- OrderStore::kSchemaVersion
)sql";

constexpr char kViewColumns[] =
    "SELECT order_id, user_id, status, email, currency_code, items, shipping_cost, total, "
    "shipping_address, transaction_id, tracking_id, created_ms, updated_ms FROM orders_view ";

constexpr char kCountDelta[] =
    "INSERT INTO status_counts(status, n) VALUES (?, ?) "
    "ON CONFLICT(status) DO UPDATE SET n = n + excluded.n";

constexpr char kAppendEvent[] =
    "INSERT INTO order_events(order_id, seq, status, at_ms, detail, transaction_id, tracking_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";

StoreError invalid(const std::string& message) {
  return StoreError(ErrorKind::kInvalidArgument, message);
}

// Items are stored as an Order holding only its items: one blob, parsed by protobuf.
std::string serialize_items(const hipstershop::BeginOrderRequest& request) {
  Order holder;
  *holder.mutable_items() = request.items();
  return holder.SerializeAsString();
}

}  // namespace

StoreResult<std::unique_ptr<OrderStore>> OrderStore::open(const std::string& data_dir,
                                                          Clock clock) {
  StoreResult<sqlite::Database> db = open_store_db(data_dir, kFileName, kSchema, kSchemaVersion);
  if (!db.ok()) return db.error();
  return std::unique_ptr<OrderStore>(new OrderStore(std::move(db).value(), std::move(clock)));
}

StoreResult<std::unique_ptr<OrderStore>> OrderStore::open_read_only(const std::string& data_dir) {
  StoreResult<sqlite::Database> db = open_store_db_read_only(data_dir, kFileName, kSchemaVersion);
  if (!db.ok()) return db.error();
  return std::unique_ptr<OrderStore>(new OrderStore(std::move(db).value(), system_clock_ms));
}

StoreResult<Order> OrderStore::begin(const hipstershop::BeginOrderRequest& original) {
  hipstershop::BeginOrderRequest request = original;
  if (StoreStatus valid = check_begin_request(request); !valid.ok()) return valid.error();
  std::lock_guard lock(mu_);
  auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Mode::kImmediate);
  if (!tx.ok()) return tx.error();
  auto exists = db_.prepare("SELECT 1 FROM orders_view WHERE order_id = ?", request.order_id());
  if (!exists.ok()) return exists.error();
  StoreResult<bool> row = exists.value().step();
  if (!row.ok()) return row.error();
  if (row.value()) {
    return StoreError(ErrorKind::kAlreadyExists, "order '" + request.order_id() + "' exists");
  }
  int64_t now = clock_();
  StoreStatus s = db_.run(
      "INSERT INTO orders_view(order_id, user_id, status, email, currency_code, items, "
      "shipping_cost, total, shipping_address, transaction_id, tracking_id, created_ms, "
      "updated_ms, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, 1)",
      request.order_id(), request.user_id(), static_cast<int>(hipstershop::PENDING),
      request.email(), request.currency_code(), sqlite::Blob{serialize_items(request)},
      sqlite::Blob{request.shipping_cost().SerializeAsString()},
      sqlite::Blob{request.total().SerializeAsString()},
      sqlite::Blob{request.shipping_address().SerializeAsString()}, now, now);
  if (!s.ok()) return s.error();
  s = db_.run(kAppendEvent, request.order_id(), int64_t{1}, static_cast<int>(hipstershop::PENDING),
              now, "", "", "");
  if (!s.ok()) return s.error();
  s = db_.run(kCountDelta, static_cast<int>(hipstershop::PENDING), int64_t{1});
  if (!s.ok()) return s.error();
  StoreResult<Order> order = get_locked(request.order_id());
  if (!order.ok()) return order.error();
  if (StoreStatus committed = tx.value().commit(); !committed.ok()) return committed.error();
  return order;
}

StoreResult<Order> OrderStore::advance(const hipstershop::AdvanceOrderRequest& request) {
  return advance(request.order_id(), request.status(), request.transaction_id(),
                 request.tracking_id(), request.detail());
}

StoreResult<Order> OrderStore::advance(const std::string& order_id, OrderStatus to,
                                       const std::string& transaction_id,
                                       const std::string& tracking_id, const std::string& detail) {
  if (order_id.empty()) return invalid("advance: order_id is empty");
  if (!hipstershop::OrderStatus_IsValid(to) || to == hipstershop::ORDER_STATUS_UNSPECIFIED) {
    return invalid("order '" + order_id + "': cannot advance to " + status_name(to));
  }
  std::lock_guard lock(mu_);
  // IMMEDIATE: the status read below and the write after it are one step for every process, so
  // two conflicting moves cannot both see the old status.
  auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Mode::kImmediate);
  if (!tx.ok()) return tx.error();
  auto current = db_.prepare(
      "SELECT status, transaction_id, tracking_id, last_seq FROM orders_view WHERE order_id = ?",
      order_id);
  if (!current.ok()) return current.error();
  StoreResult<bool> row = current.value().step();
  if (!row.ok()) return row.error();
  if (!row.value()) return StoreError(ErrorKind::kNotFound, "order '" + order_id + "' not found");
  auto from = static_cast<OrderStatus>(current.value().column_int64(0));
  std::string stored_transaction = current.value().column_text(1);
  std::string stored_tracking = current.value().column_text(2);
  int64_t seq = current.value().column_int64(3) + 1;

  // A retried call (the saga resumed after a crash) finds its move already made.
  if (from == to) return get_locked(order_id);
  auto precondition = [&](const std::string& why) {
    return StoreError(ErrorKind::kFailedPrecondition,
                      "order '" + order_id + "': cannot move from " + status_name(from) + " to " +
                          status_name(to) + why);
  };
  if (!is_allowed_move(from, to)) return precondition("");
  // The view keeps the first id recorded; a different one later means two sagas disagree.
  if (!transaction_id.empty() && !stored_transaction.empty() &&
      transaction_id != stored_transaction) {
    return precondition(": transaction_id '" + transaction_id + "' differs from recorded '" +
                        stored_transaction + "'");
  }
  if (!tracking_id.empty() && !stored_tracking.empty() && tracking_id != stored_tracking) {
    return precondition(": tracking_id '" + tracking_id + "' differs from recorded '" +
                        stored_tracking + "'");
  }
  const std::string& new_transaction = transaction_id.empty() ? stored_transaction : transaction_id;
  const std::string& new_tracking = tracking_id.empty() ? stored_tracking : tracking_id;
  if (to == hipstershop::CHARGED && new_transaction.empty()) {
    return invalid("order '" + order_id + "': CHARGED needs a transaction_id");
  }
  if (to == hipstershop::SHIPPED && new_tracking.empty()) {
    return invalid("order '" + order_id + "': SHIPPED needs a tracking_id");
  }

  int64_t now = clock_();
  StoreStatus s = db_.run(
      "UPDATE orders_view SET status = ?, transaction_id = ?, tracking_id = ?, updated_ms = ?, "
      "last_seq = ? WHERE order_id = ?",
      static_cast<int>(to), new_transaction, new_tracking, now, seq, order_id);
  if (!s.ok()) return s.error();
  s = db_.run(kAppendEvent, order_id, seq, static_cast<int>(to), now, detail, transaction_id,
              tracking_id);
  if (!s.ok()) return s.error();
  s = db_.run(kCountDelta, static_cast<int>(from), int64_t{-1});
  if (!s.ok()) return s.error();
  s = db_.run(kCountDelta, static_cast<int>(to), int64_t{1});
  if (!s.ok()) return s.error();
  StoreResult<Order> order = get_locked(order_id);
  if (!order.ok()) return order.error();
  if (StoreStatus committed = tx.value().commit(); !committed.ok()) return committed.error();
  return order;
}

StoreResult<Order> OrderStore::get(const std::string& order_id) {
  std::lock_guard lock(mu_);
  // A read transaction: the view row and its events come from one snapshot even while another
  // process appends.
  auto snapshot = sqlite::Transaction::begin(db_, sqlite::Transaction::Mode::kDeferred);
  if (!snapshot.ok()) return snapshot.error();
  return get_locked(order_id);
}

StoreResult<Order> OrderStore::get_locked(const std::string& order_id) {
  auto stmt = db_.prepare(std::string(kViewColumns) + "WHERE order_id = ?", order_id);
  if (!stmt.ok()) return stmt.error();
  StoreResult<std::vector<Order>> orders = load(stmt.value(), /*with_history=*/true);
  if (!orders.ok()) return orders.error();
  if (orders.value().empty()) {
    return StoreError(ErrorKind::kNotFound, "order '" + order_id + "' not found");
  }
  return std::move(orders.value().front());
}

StoreResult<std::vector<Order>> OrderStore::list_by_user(const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto snapshot = sqlite::Transaction::begin(db_, sqlite::Transaction::Mode::kDeferred);
  if (!snapshot.ok()) return snapshot.error();
  auto stmt = db_.prepare(
      std::string(kViewColumns) + "WHERE user_id = ? ORDER BY created_ms DESC, rowid DESC",
      user_id);
  if (!stmt.ok()) return stmt.error();
  return load(stmt.value(), /*with_history=*/true);
}

StoreResult<std::vector<Order>> OrderStore::in_flight(int64_t older_than_ms) {
  std::lock_guard lock(mu_);
  auto snapshot = sqlite::Transaction::begin(db_, sqlite::Transaction::Mode::kDeferred);
  if (!snapshot.ok()) return snapshot.error();
  auto stmt = db_.prepare(
      std::string(kViewColumns) +
          "WHERE status IN (?, ?, ?, ?, ?) AND updated_ms < ? "
          "ORDER BY updated_ms, rowid",
      static_cast<int>(hipstershop::PENDING), static_cast<int>(hipstershop::CHARGED),
      static_cast<int>(hipstershop::SHIPPED), static_cast<int>(hipstershop::COMPENSATING),
      static_cast<int>(hipstershop::CANCELLING), older_than_ms);
  if (!stmt.ok()) return stmt.error();
  return load(stmt.value(), /*with_history=*/true);
}

StoreResult<std::vector<Order>> OrderStore::all_orders() {
  std::lock_guard lock(mu_);
  auto stmt = db_.prepare(std::string(kViewColumns) + "ORDER BY rowid");
  if (!stmt.ok()) return stmt.error();
  return load(stmt.value(), /*with_history=*/false);
}

StoreResult<std::map<OrderStatus, int64_t>> OrderStore::counts_by_status() {
  std::lock_guard lock(mu_);
  auto stmt = db_.prepare("SELECT status, n FROM status_counts WHERE n <> 0");
  if (!stmt.ok()) return stmt.error();
  std::map<OrderStatus, int64_t> counts;
  for (;;) {
    StoreResult<bool> row = stmt.value().step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    counts[static_cast<OrderStatus>(stmt.value().column_int64(0))] = stmt.value().column_int64(1);
  }
  return counts;
}

StoreResult<std::vector<Order>> OrderStore::load(sqlite::Statement& stmt, bool with_history) {
  std::vector<Order> orders;
  for (;;) {
    StoreResult<bool> row = stmt.step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    Order& order = orders.emplace_back();
    order.set_order_id(stmt.column_text(0));
    auto corrupt = [&](const char* column) {
      return StoreError(ErrorKind::kInternal, db_.path() + ": order '" + order.order_id() +
                                                  "' has a corrupt " + column + " column");
    };
    order.set_user_id(stmt.column_text(1));
    int64_t status = stmt.column_int64(2);
    if (status < 0 || status > 1000 ||
        !hipstershop::OrderStatus_IsValid(static_cast<int>(status))) {
      return corrupt("status");
    }
    order.set_status(static_cast<OrderStatus>(status));
    order.set_email(stmt.column_text(3));
    order.set_currency_code(stmt.column_text(4));
    Order items;
    if (!items.ParseFromString(stmt.column_blob(5))) return corrupt("items");
    order.mutable_items()->Swap(items.mutable_items());
    if (!order.mutable_shipping_cost()->ParseFromString(stmt.column_blob(6))) {
      return corrupt("shipping_cost");
    }
    if (!order.mutable_total()->ParseFromString(stmt.column_blob(7))) return corrupt("total");
    if (!order.mutable_shipping_address()->ParseFromString(stmt.column_blob(8))) {
      return corrupt("shipping_address");
    }
    order.set_transaction_id(stmt.column_text(9));
    order.set_tracking_id(stmt.column_text(10));
    order.set_created_unix_ms(stmt.column_int64(11));
    order.set_updated_unix_ms(stmt.column_int64(12));
  }
  if (with_history) {
    for (Order& order : orders) {
      if (StoreStatus s = load_history(order); !s.ok()) return s.error();
    }
  }
  return orders;
}

StoreStatus OrderStore::load_history(Order& order) {
  auto stmt =
      db_.prepare("SELECT status, at_ms, detail FROM order_events WHERE order_id = ? ORDER BY seq",
                  order.order_id());
  if (!stmt.ok()) return stmt.error();
  for (;;) {
    StoreResult<bool> row = stmt.value().step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    hipstershop::StatusChange* change = order.add_history();
    change->set_status(static_cast<OrderStatus>(stmt.value().column_int64(0)));
    change->set_at_unix_ms(stmt.value().column_int64(1));
    change->set_detail(stmt.value().column_text(2));
  }
  return {};
}

}  // namespace shop
