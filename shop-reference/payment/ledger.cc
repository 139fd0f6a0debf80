#include "shop-reference/payment/ledger.h"

#include <utility>

#include "shop-reference/orders/money_check.h"
#include "shop-reference/orders/store_file.h"
#include "shop-reference/payment/uuid.h"

namespace shop {
namespace {

constexpr char kFileName[] = "payments.db";
constexpr int64_t kNanosPerUnit = 1'000'000'000;

// The partial unique index makes "one charge per order" hold across processes even if a code
// path forgot the lookup; empty order ids (Online Boutique callers) are exempt. `totals` holds
// running sums per currency (nanos not normalised) so metrics never scan the charges.
constexpr char kSchema[] = R"sql(
CREATE TABLE charges(
  transaction_id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  currency_code TEXT NOT NULL,
  units INTEGER NOT NULL,
  nanos INTEGER NOT NULL,
  card_type TEXT NOT NULL,
  card_last4 TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  refunded_ms INTEGER,
  refund_id TEXT,
  refund_reason TEXT);
CREATE UNIQUE INDEX charges_by_order ON charges(order_id) WHERE order_id <> '';
CREATE TABLE totals(
  currency_code TEXT PRIMARY KEY,
  charges INTEGER NOT NULL DEFAULT 0,
  charged_units INTEGER NOT NULL DEFAULT 0,
  charged_nanos INTEGER NOT NULL DEFAULT 0,
  refunds INTEGER NOT NULL DEFAULT 0,
  refunded_units INTEGER NOT NULL DEFAULT 0,
  refunded_nanos INTEGER NOT NULL DEFAULT 0);
PRAGMA user_version = 1;  -- Ledger::kSchemaVersion
)sql";

constexpr char kChargeColumns[] =
    "SELECT transaction_id, order_id, currency_code, units, nanos, card_type, card_last4, "
    "created_ms, refunded_ms, refund_id, refund_reason FROM charges ";

hipstershop::Money normalised(const std::string& currency, int64_t units, int64_t nanos) {
  hipstershop::Money money;
  money.set_currency_code(currency);
  money.set_units(units + nanos / kNanosPerUnit);
  money.set_nanos(static_cast<int32_t>(nanos % kNanosPerUnit));
  return money;
}

}  // namespace

StoreResult<std::unique_ptr<Ledger>> Ledger::open(const std::string& data_dir, Clock clock) {
  StoreResult<sqlite::Database> db = open_store_db(data_dir, kFileName, kSchema, kSchemaVersion);
  if (!db.ok()) return db.error();
  return std::unique_ptr<Ledger>(new Ledger(std::move(db).value(), std::move(clock)));
}

StoreResult<std::unique_ptr<Ledger>> Ledger::open_read_only(const std::string& data_dir) {
  StoreResult<sqlite::Database> db = open_store_db_read_only(data_dir, kFileName, kSchemaVersion);
  if (!db.ok()) return db.error();
  return std::unique_ptr<Ledger>(new Ledger(std::move(db).value(), system_clock_ms));
}

StoreResult<ChargeOutcome> Ledger::charge(const std::string& order_id,
                                          const hipstershop::Money& amount,
                                          const std::string& card_type,
                                          const std::string& card_last4) {
  if (StoreStatus valid = check_amount(amount, "charge amount"); !valid.ok()) {
    return valid.error();
  }
  if (amount.currency_code().empty()) {
    return StoreError(ErrorKind::kInvalidArgument, "charge amount: currency_code is empty");
  }
  std::lock_guard lock(mu_);
  // IMMEDIATE: the lookup and the insert are one step, so two replicas retrying the same order
  // cannot both charge it.
  auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Mode::kImmediate);
  if (!tx.ok()) return tx.error();
  if (!order_id.empty()) {
    auto existing =
        db_.prepare("SELECT transaction_id, refunded_ms FROM charges WHERE order_id = ?", order_id);
    if (!existing.ok()) return existing.error();
    StoreResult<bool> row = existing.value().step();
    if (!row.ok()) return row.error();
    if (row.value()) {
      if (!existing.value().column_is_null(1)) {
        return StoreError(ErrorKind::kFailedPrecondition,
                          "order " + order_id + " was already refunded");
      }
      return ChargeOutcome{existing.value().column_text(0), true};
    }
  }
  std::string transaction_id = new_uuid4();
  StoreStatus s = db_.run(
      "INSERT INTO charges(transaction_id, order_id, currency_code, units, nanos, card_type, "
      "card_last4, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      transaction_id, order_id, amount.currency_code(), amount.units(), amount.nanos(), card_type,
      card_last4, clock_());
  if (!s.ok()) return s.error();
  s = db_.run(
      "INSERT INTO totals(currency_code, charges, charged_units, charged_nanos) VALUES (?, 1, ?, "
      "?) "
      "ON CONFLICT(currency_code) DO UPDATE SET charges = charges + 1, "
      "charged_units = charged_units + excluded.charged_units, "
      "charged_nanos = charged_nanos + excluded.charged_nanos",
      amount.currency_code(), amount.units(), amount.nanos());
  if (!s.ok()) return s.error();
  if (StoreStatus committed = tx.value().commit(); !committed.ok()) return committed.error();
  return ChargeOutcome{transaction_id, false};
}

StoreResult<RefundOutcome> Ledger::refund_transaction(const std::string& transaction_id,
                                                      const std::string& reason) {
  if (transaction_id.empty()) {
    return StoreError(ErrorKind::kInvalidArgument, "refund: transaction_id is empty");
  }
  std::lock_guard lock(mu_);
  return refund_locked("transaction_id", transaction_id, reason, /*missing_is_error=*/true);
}

StoreResult<RefundOutcome> Ledger::refund_order(const std::string& order_id,
                                                const std::string& reason) {
  if (order_id.empty()) return StoreError(ErrorKind::kInvalidArgument, "refund: order_id is empty");
  std::lock_guard lock(mu_);
  return refund_locked("order_id", order_id, reason, /*missing_is_error=*/false);
}

StoreResult<RefundOutcome> Ledger::refund_locked(const char* where_column, const std::string& key,
                                                 const std::string& reason, bool missing_is_error) {
  auto tx = sqlite::Transaction::begin(db_, sqlite::Transaction::Mode::kImmediate);
  if (!tx.ok()) return tx.error();
  auto found = db_.prepare(
      "SELECT transaction_id, refund_id, refunded_ms, currency_code, units, nanos FROM charges "
      "WHERE " +
          std::string(where_column) + " = ?",
      key);
  if (!found.ok()) return found.error();
  StoreResult<bool> row = found.value().step();
  if (!row.ok()) return row.error();
  if (!row.value()) {
    if (!missing_is_error) return RefundOutcome{};
    return StoreError(ErrorKind::kNotFound, "transaction '" + key + "' not found");
  }
  sqlite::Statement& charge = found.value();
  if (!charge.column_is_null(2)) return RefundOutcome{charge.column_text(1), false};
  std::string transaction_id = charge.column_text(0);
  std::string currency = charge.column_text(3);
  int64_t units = charge.column_int64(4);
  int64_t nanos = charge.column_int64(5);
  std::string refund_id = new_uuid4();
  StoreStatus s = db_.run(
      "UPDATE charges SET refunded_ms = ?, refund_id = ?, refund_reason = ? "
      "WHERE transaction_id = ?",
      clock_(), refund_id, reason, transaction_id);
  if (!s.ok()) return s.error();
  s = db_.run(
      "UPDATE totals SET refunds = refunds + 1, refunded_units = refunded_units + ?, "
      "refunded_nanos = refunded_nanos + ? WHERE currency_code = ?",
      units, nanos, currency);
  if (!s.ok()) return s.error();
  if (StoreStatus committed = tx.value().commit(); !committed.ok()) return committed.error();
  return RefundOutcome{refund_id, true};
}

StoreResult<std::optional<Charge>> Ledger::find_by_order(const std::string& order_id) {
  if (order_id.empty()) return std::optional<Charge>();
  std::lock_guard lock(mu_);
  auto stmt = db_.prepare(std::string(kChargeColumns) + "WHERE order_id = ?", order_id);
  if (!stmt.ok()) return stmt.error();
  StoreResult<std::vector<Charge>> charges = load(stmt.value());
  if (!charges.ok()) return charges.error();
  if (charges.value().empty()) return std::optional<Charge>();
  return std::optional<Charge>(std::move(charges.value().front()));
}

StoreResult<std::vector<Charge>> Ledger::list_charges() {
  std::lock_guard lock(mu_);
  auto stmt = db_.prepare(std::string(kChargeColumns) + "ORDER BY created_ms, rowid");
  if (!stmt.ok()) return stmt.error();
  return load(stmt.value());
}

StoreResult<LedgerTotals> Ledger::totals() {
  std::lock_guard lock(mu_);
  auto stmt = db_.prepare(
      "SELECT currency_code, charges, charged_units, charged_nanos, refunds, refunded_units, "
      "refunded_nanos FROM totals ORDER BY currency_code");
  if (!stmt.ok()) return stmt.error();
  LedgerTotals totals;
  for (;;) {
    StoreResult<bool> row = stmt.value().step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    const sqlite::Statement& r = stmt.value();
    std::string currency = r.column_text(0);
    totals.charges += r.column_int64(1);
    totals.charged[currency] = normalised(currency, r.column_int64(2), r.column_int64(3));
    totals.refunds += r.column_int64(4);
    totals.refunded[currency] = normalised(currency, r.column_int64(5), r.column_int64(6));
  }
  return totals;
}

StoreResult<std::vector<Charge>> Ledger::load(sqlite::Statement& stmt) {
  std::vector<Charge> charges;
  for (;;) {
    StoreResult<bool> row = stmt.step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    Charge& c = charges.emplace_back();
    c.transaction_id = stmt.column_text(0);
    c.order_id = stmt.column_text(1);
    c.amount.set_currency_code(stmt.column_text(2));
    c.amount.set_units(stmt.column_int64(3));
    c.amount.set_nanos(static_cast<int32_t>(stmt.column_int64(4)));
    c.card_type = stmt.column_text(5);
    c.card_last4 = stmt.column_text(6);
    c.created_ms = stmt.column_int64(7);
    if (!stmt.column_is_null(8)) c.refunded_ms = stmt.column_int64(8);
    c.refund_id = stmt.column_text(9);
    c.refund_reason = stmt.column_text(10);
  }
  return charges;
}

}  // namespace shop
