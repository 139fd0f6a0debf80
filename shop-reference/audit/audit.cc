#include "shop-reference/audit/audit.h"

#include <cstdio>
#include <unordered_map>

#include "shop-reference/orders/order_moves.h"
#include "shop-reference/orders/order_store.h"

namespace shop {
namespace {

// "USD 12.99": at least two decimals, trailing zeros of the nanos trimmed.
std::string format_money(const hipstershop::Money& m) {
  char nanos[16];
  std::snprintf(nanos, sizeof nanos, "%09d", m.nanos() < 0 ? -m.nanos() : m.nanos());
  std::string fraction(nanos);
  while (fraction.size() > 2 && fraction.back() == '0') fraction.pop_back();
  std::string sign = (m.units() < 0 || m.nanos() < 0) ? "-" : "";
  uint64_t units = m.units() < 0 ? 0 - static_cast<uint64_t>(m.units()) : m.units();
  return m.currency_code() + " " + sign + std::to_string(units) + "." + fraction;
}

bool same_money(const hipstershop::Money& a, const hipstershop::Money& b) {
  return a.currency_code() == b.currency_code() && a.units() == b.units() && a.nanos() == b.nanos();
}

}  // namespace

const char* violation_kind_name(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::kChargeWithoutOrder:
      return "charge_without_order";
    case ViolationKind::kChargeForUnplacedOrder:
      return "charge_for_unplaced_order";
    case ViolationKind::kCancelledNotRefunded:
      return "cancelled_not_refunded";
    case ViolationKind::kPlacedWithoutCharge:
      return "placed_without_charge";
    case ViolationKind::kAmountMismatch:
      return "amount_mismatch";
  }
  return "unknown";
}

AuditReport audit_records(const std::vector<hipstershop::Order>& orders,
                          const std::vector<Charge>& charges) {
  AuditReport report;
  std::unordered_map<std::string, const hipstershop::Order*> order_by_id;
  for (const hipstershop::Order& order : orders) {
    order_by_id.emplace(order.order_id(), &order);
    ++report.orders_by_status[status_name(order.status())];
  }
  report.orders = static_cast<int64_t>(orders.size());
  // The ledger's unique index allows one charge per non-empty order id.
  std::unordered_map<std::string, const Charge*> charge_by_order;
  auto add = [&](ViolationKind kind, const std::string& order_id, const std::string& transaction_id,
                 std::string explanation) {
    report.violations.push_back({kind, order_id, transaction_id, std::move(explanation)});
  };

  for (const Charge& charge : charges) {
    ++report.charges;
    if (charge.refunded()) ++report.refunds;
    if (!charge.order_id.empty()) charge_by_order.emplace(charge.order_id, &charge);
    auto found = order_by_id.find(charge.order_id);
    const hipstershop::Order* order = found == order_by_id.end() ? nullptr : found->second;
    std::string amount = format_money(charge.amount);
    if (!charge.refunded()) {
      if (charge.order_id.empty()) {
        add(ViolationKind::kChargeWithoutOrder, "", charge.transaction_id,
            "unrefunded charge of " + amount + " names no order");
      } else if (order == nullptr) {
        add(ViolationKind::kChargeWithoutOrder, charge.order_id, charge.transaction_id,
            "unrefunded charge of " + amount + " for an order the order store does not know");
      } else if (order->status() != hipstershop::PLACED) {
        add(ViolationKind::kChargeForUnplacedOrder, charge.order_id, charge.transaction_id,
            "unrefunded charge of " + amount + " for an order in " + status_name(order->status()) +
                (is_in_flight(order->status()) ? " (still in flight)" : ""));
      }
    }
    if (order != nullptr && !same_money(charge.amount, order->total())) {
      add(ViolationKind::kAmountMismatch, charge.order_id, charge.transaction_id,
          "charged " + amount + " but the order totals " + format_money(order->total()));
    }
  }

  for (const hipstershop::Order& order : orders) {
    auto found = charge_by_order.find(order.order_id());
    const Charge* charge = found == charge_by_order.end() ? nullptr : found->second;
    std::string tx = charge ? charge->transaction_id : "";
    if (order.status() == hipstershop::CANCELLED) {
      if (charge == nullptr) {
        add(ViolationKind::kCancelledNotRefunded, order.order_id(), "",
            "cancelled order has no charge, so no refund on record");
      } else if (!charge->refunded()) {
        add(ViolationKind::kCancelledNotRefunded, order.order_id(), tx,
            "cancelled order's charge of " + format_money(charge->amount) + " is not refunded");
      }
    } else if (order.status() == hipstershop::PLACED) {
      if (charge == nullptr) {
        add(ViolationKind::kPlacedWithoutCharge, order.order_id(), order.transaction_id(),
            "placed order has no charge" +
                (order.transaction_id().empty()
                     ? std::string()
                     : " (the order records transaction " + order.transaction_id() + ")"));
      } else if (charge->refunded()) {
        add(ViolationKind::kPlacedWithoutCharge, order.order_id(), tx,
            "placed order's charge of " + format_money(charge->amount) + " was refunded");
      }
    }
  }
  return report;
}

stampede::Result<AuditReport> audit(const std::string& data_dir) {
  auto order_store = OrderStore::open_read_only(data_dir);
  if (!order_store.ok()) return order_store.error().to_error();
  auto ledger = Ledger::open_read_only(data_dir);
  if (!ledger.ok()) return ledger.error().to_error();
  auto orders = order_store.value()->all_orders();
  if (!orders.ok()) return orders.error().to_error();
  auto charges = ledger.value()->list_charges();
  if (!charges.ok()) return charges.error().to_error();
  AuditReport report = audit_records(orders.value(), charges.value());
  report.data_dir = data_dir;
  return report;
}

}  // namespace shop
