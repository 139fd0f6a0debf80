#include "reports/junit_xml.h"

#include <vector>

#include "reports/text_util.h"

namespace stampede {
namespace {

using nlohmann::json;

struct Case {
  std::string name;
  std::string classname;
  bool failed = false;
  std::string type;     // failure type
  std::string message;  // one line
  std::string detail;   // failure body: the evidence
};

void write_suite(std::string& out, const std::string& name, int id, const std::string& timestamp,
                 double time_s, const std::vector<Case>& cases, const std::string& system_out) {
  int failures = 0;
  for (const Case& c : cases) failures += c.failed ? 1 : 0;
  out += "  <testsuite name=\"" + xml_escape(name) + "\" tests=\"" + std::to_string(cases.size()) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"0\" time=\"" +
         fixed(time_s, 3) + "\" timestamp=\"" + xml_escape(timestamp) +
         "\" hostname=\"localhost\" id=\"" + std::to_string(id) + "\" package=\"stampede\">\n";
  for (const Case& c : cases) {
    out += "    <testcase name=\"" + xml_escape(c.name) + "\" classname=\"" +
           xml_escape(c.classname) + "\" time=\"0\"";
    if (!c.failed) {
      out += "/>\n";
      continue;
    }
    out += ">\n      <failure message=\"" + xml_escape(c.message) + "\" type=\"" +
           xml_escape(c.type) + "\">" + xml_escape(c.detail) + "</failure>\n    </testcase>\n";
  }
  if (!system_out.empty()) out += "    <system-out>" + xml_escape(system_out) + "</system-out>\n";
  out += "  </testsuite>\n";
}

std::vector<Case> threshold_cases(const json& doc) {
  std::vector<Case> cases;
  for (const json& t : doc["thresholds"]) {
    Case c;
    std::string metric = t["metric"].get<std::string>();
    std::string expr = t["expression"].get<std::string>();
    c.name = metric + ": " + expr;
    c.classname = "stampede.thresholds";
    c.failed = !t["passed"].get<bool>();
    c.type = "threshold";
    std::string observed =
        fixed(t["observed"].get<double>(), 3) + (t.value("unit", "") == "ms" ? " ms" : "");
    c.message = metric + " " + expr + " failed: observed " + observed;
    c.detail = "metric: " + metric + "\nexpression: " + expr + "\nobserved: " + observed +
               (t.value("abort_on_fail", false) ? "\nabort_on_fail: true" : "") + "\n";
    cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<Case> validation_cases(const json& doc) {
  std::vector<Case> cases;
  for (const json& v : doc["validations"]) {
    Case c;
    c.name = v["name"].get<std::string>();
    c.classname = "stampede.validations." + v["kind"].get<std::string>();
    c.failed = !v["passed"].get<bool>();
    c.type = v["kind"].get<std::string>();
    c.message = v["summary"].get<std::string>();
    c.detail = c.message + "\nevidence:\n";
    for (const json& e : v["evidence"]) {
      c.detail += "  " + e.value("name", "") + ": " + e.value("value", "");
      double t = e.value("t", -1.0);
      if (t >= 0) c.detail += " (at " + fixed(t, 1) + " s)";
      c.detail += "\n";
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace

std::string render_junit_xml(const json& doc) {
  const json& run = doc["run"];
  std::string timestamp = run["start_time"].get<std::string>();
  if (!timestamp.empty() && timestamp.back() == 'Z') timestamp.pop_back();  // xs:dateTime, no zone
  if (size_t dot = timestamp.find('.'); dot != std::string::npos) timestamp.resize(dot);
  double duration = run["duration_s"].get<double>();

  std::vector<Case> thresholds = threshold_cases(doc);
  std::vector<Case> validations = validation_cases(doc);
  Case outcome;
  outcome.name = "run completed";
  outcome.classname = "stampede.run";
  std::string state = run["outcome"].get<std::string>();
  outcome.failed = state != "completed";
  outcome.type = "outcome";
  outcome.message = "the run ended: " + state;
  std::string detail = run.value("outcome_detail", "");
  outcome.detail = outcome.message + (detail.empty() ? "" : "\n" + detail) + "\n";
  std::vector<Case> run_cases = {outcome};

  const json& g = doc["generator"];
  std::string generator = "generator self-check: ";
  generator += g["bottleneck"].get<bool>() ? "the generator was the bottleneck\n" : "ok\n";
  for (const json& r : g["reasons"]) generator += "  " + r.get<std::string>() + "\n";
  generator += "busiest worker CPU avg " + fixed(g.value("cpu_busiest_avg_percent", 0.0), 1) +
               "%, p99 schedule lag " + fixed(g.value("schedule_lag_p99_ms", 0.0), 3) +
               " ms, max loop lag " + fixed(g.value("loop_lag_max_ms", 0.0), 3) + " ms\n";

  size_t tests = thresholds.size() + validations.size() + run_cases.size();
  size_t failures = 0;
  for (const auto* list : {&thresholds, &validations, &run_cases}) {
    for (const Case& c : *list) failures += c.failed ? 1 : 0;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"stampede " + xml_escape(run["script"].get<std::string>()) +
         "\" tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
         "\" errors=\"0\" time=\"" + fixed(duration, 3) + "\">\n";
  write_suite(out, "thresholds", 0, timestamp, duration, thresholds, "");
  write_suite(out, "validations", 1, timestamp, duration, validations,
              validations.empty() ? "no validations: the script has no `expect` entries\n" : "");
  write_suite(out, "run", 2, timestamp, duration, run_cases, generator);
  out += "</testsuites>\n";
  return out;
}

}  // namespace stampede
