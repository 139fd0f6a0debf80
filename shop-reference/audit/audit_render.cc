// The two renderings of an AuditReport (declared in audit.h): text for people, JSON for tools.
#include <nlohmann/json.hpp>

#include "shop-reference/audit/audit.h"

namespace shop {

std::string render_text(const AuditReport& report) {
  std::string out;
  if (!report.data_dir.empty()) out += "audit of " + report.data_dir + "\n";
  out += "orders: " + std::to_string(report.orders);
  if (!report.orders_by_status.empty()) {
    std::string sep = " (";
    for (const auto& [status, count] : report.orders_by_status) {
      out += sep + status + " " + std::to_string(count);
      sep = ", ";
    }
    out += ")";
  }
  out += "\ncharges: " + std::to_string(report.charges) +
         ", refunded: " + std::to_string(report.refunds) + "\n";
  for (const Violation& v : report.violations) {
    out += std::string(violation_kind_name(v.kind)) + ":";
    if (!v.order_id.empty()) out += " order " + v.order_id;
    if (!v.order_id.empty() && !v.transaction_id.empty()) out += ",";
    if (!v.transaction_id.empty()) out += " transaction " + v.transaction_id;
    out += ": " + v.explanation + "\n";
  }
  if (report.clean()) {
    out += "audit: clean\n";
  } else {
    out += "audit: " + std::to_string(report.violations.size()) + " violation(s)\n";
  }
  return out;
}

std::string render_json(const AuditReport& report) {
  nlohmann::json by_status = nlohmann::json::object();
  for (const auto& [status, count] : report.orders_by_status) by_status[status] = count;
  nlohmann::json violations = nlohmann::json::array();
  for (const Violation& v : report.violations) {
    violations.push_back({{"kind", violation_kind_name(v.kind)},
                          {"order_id", v.order_id},
                          {"transaction_id", v.transaction_id},
                          {"explanation", v.explanation}});
  }
  nlohmann::json doc = {
      {"data_dir", report.data_dir},
      {"clean", report.clean()},
      {"counts",
       {{"orders", report.orders},
        {"orders_by_status", by_status},
        {"charges", report.charges},
        {"refunds", report.refunds}}},
      {"violations", violations},
  };
  // Ids come from callers and may hold invalid UTF-8; replace rather than throw.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace shop
