// The payment service's record of money taken and given back: one row per charge in
// `<data_dir>/payments.db` (WAL, busy_timeout), refund fields filled in at most once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "demo.pb.h"
#include "shop-reference/orders/clock.h"
#include "shop-reference/orders/sqlite.h"
#include "shop-reference/orders/store_error.h"

namespace shop {

// One charge as stored. refunded_ms is set once the charge was refunded.
struct Charge {
  std::string transaction_id;
  std::string order_id;  // empty for callers that send none (Online Boutique's checkout)
  hipstershop::Money amount;
  std::string card_type;
  std::string card_last4;
  int64_t created_ms = 0;
  std::optional<int64_t> refunded_ms;
  std::string refund_id;
  std::string refund_reason;

  bool refunded() const { return refunded_ms.has_value(); }
};

struct ChargeOutcome {
  std::string transaction_id;
  bool replayed = false;  // true: an earlier charge for the same order_id, nothing new charged
};

struct RefundOutcome {
  std::string refund_id;  // empty when there was nothing to refund
  bool refunded = false;  // true only for the call that recorded the refund
};

// Charged and refunded money per currency (nanos normalised into units), with counts.
struct LedgerTotals {
  int64_t charges = 0;
  int64_t refunds = 0;
  std::map<std::string, hipstershop::Money> charged;
  std::map<std::string, hipstershop::Money> refunded;
};

// Charges in one SQLite file. Owns its connection; thread-safe (one internal mutex); each write
// is one BEGIN IMMEDIATE transaction, so replicas sharing the file charge an order at most once.
class Ledger {
 public:
  static constexpr int kSchemaVersion = 1;

  // Opens (creating dir, file and schema as needed) `<data_dir>/payments.db`, or a private
  // in-memory ledger for ":memory:". kUnavailable when it cannot be opened; kFailedPrecondition
  // for a newer schema.
  static StoreResult<std::unique_ptr<Ledger>> open(const std::string& data_dir,
                                                   Clock clock = system_clock_ms);
  // Opens an existing `<data_dir>/payments.db` read-only (the audit). kUnavailable naming the
  // file when missing or unreadable.
  static StoreResult<std::unique_ptr<Ledger>> open_read_only(const std::string& data_dir);

  // Records a charge with a new uuid4 transaction id. Idempotent by non-empty order_id: an
  // unrefunded charge for it is returned with replayed=true. kFailedPrecondition "order <id> was
  // already refunded" when its charge was refunded; kInvalidArgument for invalid money or a
  // missing currency code.
  StoreResult<ChargeOutcome> charge(const std::string& order_id, const hipstershop::Money& amount,
                                    const std::string& card_type, const std::string& card_last4);

  // Refunds a charge by transaction id: the first call records it (refunded=true), repeats return
  // the same refund_id with refunded=false. kNotFound for an unknown id; kInvalidArgument if empty.
  StoreResult<RefundOutcome> refund_transaction(const std::string& transaction_id,
                                                const std::string& reason);
  // Same by order id, except that an order with no charge is not an error: refunded=false and an
  // empty refund_id (the saga compensates without knowing whether the charge happened).
  StoreResult<RefundOutcome> refund_order(const std::string& order_id, const std::string& reason);

  // The charge for a non-empty order id, or nullopt.
  StoreResult<std::optional<Charge>> find_by_order(const std::string& order_id);
  // Every charge, oldest first.
  StoreResult<std::vector<Charge>> list_charges();
  // Totals for metrics; reads a few maintained rows, not the charges.
  StoreResult<LedgerTotals> totals();

 private:
  Ledger(sqlite::Database db, Clock clock) : db_(std::move(db)), clock_(std::move(clock)) {}
  StoreStatus create_schema();
  // Refunds the charge selected by `where_column` = key inside a transaction. Caller holds mu_.
  StoreResult<RefundOutcome> refund_locked(const char* where_column, const std::string& key,
                                           const std::string& reason, bool missing_is_error);
  StoreResult<std::vector<Charge>> load(sqlite::Statement& stmt);

  std::mutex mu_;
  sqlite::Database db_;  // guarded by mu_
  Clock clock_;
};

}  // namespace shop
