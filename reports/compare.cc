#include "reports/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "reports/text_util.h"

namespace stampede {
namespace {

using nlohmann::json;

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::set<std::string> scenario_names(const json& doc) {
  std::set<std::string> names;
  for (const json& s : doc["run"]["scenarios"]) names.insert(s.value("name", ""));
  return names;
}

std::string describe_run(const json& doc) {
  std::string out = base_name(doc["run"]["script"].get<std::string>()) + " (scenarios:";
  for (const std::string& n : scenario_names(doc)) out += " " + n;
  return out + ")";
}

std::string value_text(const std::string& metric, double v) {
  if (metric == "error_rate") return percent(v, 3);
  if (metric == "rps") return fixed(v, 1) + "/s";
  return millis(v);
}

std::string change_text(const CompareRow& r) {
  if (!r.note.empty() && r.note != "regression") return r.note;
  if (r.base == 0) return r.current == 0 ? "0%" : "new";
  std::string s = fixed(r.change * 100.0, 1) + "%";
  return r.change > 0 ? "+" + s : s;
}

std::string pad(const std::string& s, size_t width, bool right) {
  // Width in code points, so multi-byte names line up.
  size_t len = 0;
  for (unsigned char c : s) len += (c & 0xC0) != 0x80;
  if (len >= width) return s;
  std::string fill(width - len, ' ');
  return right ? fill + s : s + fill;
}

}  // namespace

Result<double> parse_regression_limit(const std::string& text) {
  std::string t = text;
  if (!t.empty() && t.back() == '%') t.pop_back();
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end == t.c_str() || *end != '\0' || !std::isfinite(v) || v < 0 || v > 10000) {
    return Error("--max-regression " + text + ": expected a percentage such as 10%");
  }
  return v / 100.0;
}

Result<CompareReport> compare_results(const json& base, const json& current,
                                      const CompareOptions& options) {
  if (base_name(base["run"]["script"].get<std::string>()) !=
          base_name(current["run"]["script"].get<std::string>()) ||
      scenario_names(base) != scenario_names(current)) {
    return Error("the runs come from different scenarios: base ran " + describe_run(base) +
                 ", new ran " + describe_run(current));
  }
  std::map<std::string, const json*> new_by_name;
  for (const json& r : current["requests"]) new_by_name[r["name"].get<std::string>()] = &r;

  CompareReport report;
  const double limit = options.max_regression;
  for (const json& b : base["requests"]) {
    const std::string name = b["name"].get<std::string>();
    auto it = new_by_name.find(name);
    if (it == new_by_name.end()) {
      CompareRow row{name, "requests", b["requests"].get<double>(), 0,
                     -1,   true,       "missing in new run"};
      report.regressions.push_back(name + ": not requested in the new run");
      report.rows.push_back(row);
      continue;
    }
    const json& n = *it->second;
    for (const char* metric : {"p50", "p95", "p99", "error_rate", "rps"}) {
      CompareRow row;
      row.name = name;
      row.metric = metric;
      row.base = b[metric].get<double>();
      row.current = n[metric].get<double>();
      row.change = row.base != 0 ? (row.current - row.base) / row.base : 0;
      std::string m = metric;
      if (m == "rps") {
        // Fewer requests per second is worse.
        row.regression = row.base > 0 && row.current < row.base * (1 - limit);
      } else if (m == "error_rate") {
        row.regression = row.current - row.base > options.min_error_delta &&
                         row.current > row.base * (1 + limit);
      } else {
        row.regression = row.current - row.base > options.min_latency_delta_ms &&
                         row.current > row.base * (1 + limit);
      }
      if (row.regression) {
        report.regressions.push_back(name + " " + m + " " + change_text(row) + " (" +
                                     value_text(m, row.base) + " -> " + value_text(m, row.current) +
                                     ")");
      }
      report.rows.push_back(std::move(row));
    }
    new_by_name.erase(it);
  }
  for (const auto& [name, r] : new_by_name) {
    report.rows.push_back(CompareRow{name, "requests", 0, (*r)["requests"].get<double>(), 0, false,
                                     "new in this run"});
  }
  return report;
}

std::string render_compare_table(const CompareReport& report, const CompareOptions& options) {
  std::vector<std::vector<std::string>> cells = {{"name", "metric", "base", "new", "change", ""}};
  for (const CompareRow& r : report.rows) {
    bool count = r.metric == "requests";
    cells.push_back({r.name, r.metric, count ? fixed(r.base, 0) : value_text(r.metric, r.base),
                     count ? fixed(r.current, 0) : value_text(r.metric, r.current), change_text(r),
                     r.regression ? "REGRESSION" : ""});
  }
  std::vector<size_t> width(6, 0);
  for (const auto& row : cells) {
    for (size_t i = 0; i < row.size(); ++i) {
      size_t len = 0;
      for (unsigned char c : row[i]) len += (c & 0xC0) != 0x80;
      width[i] = std::max(width[i], len);
    }
  }
  std::string out;
  for (const auto& row : cells) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += pad(row[i], width[i], i >= 2 && i <= 4) + (i + 1 < row.size() ? "  " : "");
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  std::string limit = fixed(options.max_regression * 100.0, 2) + "%";
  if (report.regressions.empty()) {
    out += "compare: no regression beyond " + limit + "\n";
  } else {
    out += "compare: " + std::to_string(report.regressions.size()) + " regression(s) beyond " +
           limit + ":\n";
    for (const std::string& r : report.regressions) out += "  " + r + "\n";
  }
  return out;
}

}  // namespace stampede
