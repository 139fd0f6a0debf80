#include "reports/summary_md.h"

#include "reports/text_util.h"

namespace stampede {
namespace {

using nlohmann::json;

// A table cell: pipes escaped, line breaks flattened.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string code(std::string_view text) {
  return "`" + cell(text) + "`";
}

std::string mark(bool passed) {
  return passed ? "✅" : "❌";
}

void thresholds(std::string& out, const json& doc) {
  out += "\n### Thresholds\n\n";
  if (doc["thresholds"].empty()) {
    out += "_No thresholds (the script's `options.thresholds` is empty)._\n";
    return;
  }
  out += "| | metric | expression | observed |\n|---|---|---|---:|\n";
  for (const json& t : doc["thresholds"]) {
    out += "| " + mark(t["passed"].get<bool>()) + " | " + code(t["metric"].get<std::string>()) +
           " | " + code(t["expression"].get<std::string>()) + " | " +
           fixed(t["observed"].get<double>(), 3) + (t.value("unit", "") == "ms" ? " ms" : "") +
           (t.value("no_samples", false) ? " (no samples)" : "") + " |\n";
  }
}

void validations(std::string& out, const json& doc) {
  out += "\n### Validations\n\n";
  if (doc["validations"].empty()) {
    out += "_No validations (the script has no `expect` entries)._\n";
    return;
  }
  out += "| | validation | kind | summary | evidence |\n|---|---|---|---|---|\n";
  for (const json& v : doc["validations"]) {
    std::string evidence;
    for (const json& e : v["evidence"]) {
      if (!evidence.empty()) evidence += "; ";
      evidence += e.value("name", "") + ": " + e.value("value", "");
    }
    out += "| " + mark(v["passed"].get<bool>()) + " | " + cell(v["name"].get<std::string>()) +
           " | " + cell(v["kind"].get<std::string>()) + " | " +
           cell(v["summary"].get<std::string>()) + " | " + cell(evidence) + " |\n";
  }
}

void phases(std::string& out, const json& doc) {
  out += "\n### Availability by phase\n\n";
  if (doc["phases"].empty()) {
    out += "_No phases (no chaos actions in this run)._\n";
    return;
  }
  out +=
      "| phase | window | requests | failed | by requests | by time |\n"
      "|---|---|---:|---:|---:|---:|\n";
  for (const json& p : doc["phases"]) {
    out += "| " + cell(p["name"].get<std::string>()) + " | " + fixed(p["start"].get<double>(), 1) +
           "–" + fixed(p["end"].get<double>(), 1) + " s | " +
           std::to_string(p.value("requests", 0)) + " | " + std::to_string(p.value("failed", 0)) +
           " | " + percent(p["by_requests"].get<double>(), 3) + " | " +
           percent(p["by_time"].get<double>(), 1) + " |\n";
  }
}

// Only for `stampede merge` results: which parts went in, and whether they cover the test.
void merged_inputs(std::string& out, const json& doc) {
  if (!doc.contains("merge")) return;
  const json& m = doc["merge"];
  out += "\n### Merged runs\n\n";
  const json& cov = m["coverage"];
  out += std::to_string(m["inputs"].size()) + " run(s) of sequence " +
         code(cov["sequence"].get<std::string>()) + ", covering " +
         code(cov["covered"].get<std::string>()) + " of the test";
  if (!cov["missing"].empty()) {
    std::string missing;
    for (const json& seg : cov["missing"]) {
      missing += (missing.empty() ? "" : ", ") + code(seg.get<std::string>());
    }
    out += " (⚠️ missing " + missing + ")";
  }
  out += ".\n\n| folder | segment | outcome | requests | errors | iterations | seconds |\n";
  out += "|---|---|---|---:|---:|---:|---:|\n";
  for (const json& in : m["inputs"]) {
    out += "| " + code(in["dir"].get<std::string>()) + " | " +
           code(in["segment"].get<std::string>()) + " | " + cell(in["outcome"].get<std::string>()) +
           " | " + std::to_string(in["requests"].get<int64_t>()) + " | " +
           std::to_string(in["errors"].get<int64_t>()) + " | " +
           std::to_string(in["iterations"].get<int64_t>()) + " | " +
           std::to_string(in["seconds"].get<int64_t>()) + " |\n";
  }
  for (const json& w : m["warnings"]) out += "\n> ⚠️ " + cell(w.get<std::string>()) + "\n";
}

void requests(std::string& out, const json& doc) {
  out += "\n### Requests\n\n";
  if (doc["requests"].empty()) {
    out += "_No HTTP requests were made._\n";
    return;
  }
  out +=
      "| name | requests | error rate | req/s | p50 | p95 | p99 | max |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const json& r : doc["requests"]) {
    out += "| " + code(r["name"].get<std::string>()) + " | " +
           std::to_string(r["requests"].get<int64_t>()) + " | " +
           percent(r["error_rate"].get<double>(), 2) + " | " + fixed(r["rps"].get<double>(), 1) +
           " | " + millis(r["p50"].get<double>()) + " | " + millis(r["p95"].get<double>()) + " | " +
           millis(r["p99"].get<double>()) + " | " + millis(r.value("max", 0.0)) + " |\n";
  }
}

}  // namespace

std::string render_summary_md(const json& doc) {
  const json& run = doc["run"];
  const json& verdict = doc["verdict"];
  bool passed = verdict["passed"].get<bool>();
  int exit_code = verdict["exit_code"].get<int>();
  int64_t total = 0, failed = 0;
  for (const json& r : doc["requests"]) {
    total += r["requests"].get<int64_t>();
    failed += r["failed"].get<int64_t>();
  }
  std::string out = "## " + mark(passed) + " stampede: " + (passed ? "passed" : "failed") +
                    " (exit " + std::to_string(exit_code) + ")\n\n";
  out += code(run["script"].get<std::string>()) + " · " + std::to_string(run["scenarios"].size()) +
         " scenario(s) · " + fixed(run["duration_s"].get<double>(), 1) + " s · " +
         std::to_string(total) + " requests · " +
         percent(total > 0 ? static_cast<double>(failed) / static_cast<double>(total) : 0, 2) +
         " failed · " + cell(run["outcome"].get<std::string>()) + " · started " +
         run["start_time"].get<std::string>() + "\n";
  // A part of a segmented test says which part: its figures are that share of the load only.
  if (run.contains("execution_segment") && run["execution_segment"].is_string() &&
      run["execution_segment"] != "0:1") {
    out += "\nExecution segment " + code(run["execution_segment"].get<std::string>()) + " of " +
           code(run.value("execution_segment_sequence", std::string("?"))) +
           ": this run's share of the test only.\n";
  }
  const json& g = doc["generator"];
  if (g["bottleneck"].get<bool>()) {
    out +=
        "\n> ⚠️ **The generator was the bottleneck**: the measured latencies include "
        "stampede's own delay.\n";
    for (const json& r : g["reasons"]) out += "> - " + cell(r.get<std::string>()) + "\n";
  }
  if (!verdict["reasons"].empty()) {
    out += "\n**Why it failed**\n\n";
    for (const json& r : verdict["reasons"]) out += "- " + cell(r.get<std::string>()) + "\n";
  }
  thresholds(out, doc);
  validations(out, doc);
  phases(out, doc);
  requests(out, doc);
  merged_inputs(out, doc);
  out += "\n### Generator\n\n";
  out += "Busiest worker CPU " + fixed(g.value("cpu_busiest_avg_percent", 0.0), 1) + "% avg, " +
         fixed(g.value("cpu_busiest_max_percent", 0.0), 1) + "% max" +
         (g.value("cpu_wait_avg_percent", -1.0) >= 0
              ? " · waiting for a CPU " + fixed(g.value("cpu_wait_avg_percent", 0.0), 1) + "% avg"
              : std::string()) +
         " · loop lag max " + millis(g.value("loop_lag_max_ms", 0.0)) + " · schedule lag p99 " +
         millis(g.value("schedule_lag_p99_ms", 0.0)) + " (" +
         std::to_string(g.value("schedule_lag_samples", int64_t{0})) + " scheduled iterations)\n";
  return out;
}

}  // namespace stampede
