// `shop audit`: proves from the two systems of record (orders.db, payments.db) that no order or
// payment was lost: every unrefunded charge belongs to a placed order of the same amount, every
// placed order is paid, every cancelled order refunded. One report model, two renderers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "orders.pb.h"
#include "shop-reference/payment/ledger.h"

namespace shop {

enum class ViolationKind {
  kChargeWithoutOrder,      // unrefunded charge with an empty or unknown order id
  kChargeForUnplacedOrder,  // unrefunded charge whose order is not PLACED
  kCancelledNotRefunded,    // CANCELLED order without a refunded charge
  kPlacedWithoutCharge,     // PLACED order without an unrefunded charge
  kAmountMismatch,          // a charge (refunded or not) differs from its order's total
};

// "charge_without_order", "charge_for_unplaced_order", "cancelled_not_refunded",
// "placed_without_charge", "amount_mismatch".
const char* violation_kind_name(ViolationKind kind);

struct Violation {
  ViolationKind kind;
  std::string order_id;        // empty when the charge names none
  std::string transaction_id;  // empty when no charge is involved
  std::string explanation;     // one line
};

// What the audit found. Counts describe the data; violations are the problems, charges first
// (oldest first), then orders (oldest first).
struct AuditReport {
  std::string data_dir;
  int64_t orders = 0;
  std::map<std::string, int64_t> orders_by_status;  // status name -> count, non-zero only
  int64_t charges = 0;
  int64_t refunds = 0;  // refunded charges
  std::vector<Violation> violations;

  bool clean() const { return violations.empty(); }
};

// Opens `<data_dir>/orders.db` and `<data_dir>/payments.db` read-only (creating nothing) and checks
// them. Errors name the missing or unreadable file. Run it on a quiescent shop: the two files are
// read one after the other, and in-flight orders with a charge are reported.
stampede::Result<AuditReport> audit(const std::string& data_dir);

// The rules alone, over records already read (orders without history are enough).
AuditReport audit_records(const std::vector<hipstershop::Order>& orders,
                          const std::vector<Charge>& charges);

// A human summary: counts, one line per violation, then "audit: clean" or
// "audit: N violation(s)" as the last line.
std::string render_text(const AuditReport& report);
// The same as a JSON document: {data_dir, clean, counts: {orders, orders_by_status: {NAME: n},
// charges, refunds}, violations: [{kind, order_id, transaction_id, explanation}]}.
std::string render_json(const AuditReport& report);

}  // namespace shop
