#include "reports/results_doc.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "reports/results_schema.h"

namespace stampede {
namespace {

using nlohmann::json;

enum class Kind { kObject, kArray, kNumber, kString, kBool };

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kObject:
      return "an object";
    case Kind::kArray:
      return "an array";
    case Kind::kNumber:
      return "a number";
    case Kind::kString:
      return "a string";
    case Kind::kBool:
      return "true or false";
  }
  return "?";
}

bool is(const json& v, Kind k) {
  switch (k) {
    case Kind::kObject:
      return v.is_object();
    case Kind::kArray:
      return v.is_array();
    case Kind::kNumber:
      return v.is_number();
    case Kind::kString:
      return v.is_string();
    case Kind::kBool:
      return v.is_boolean();
  }
  return false;
}

// `obj[key]` exists with kind `k`; errors name "path.key".
Status need(const json& obj, const std::string& path, const char* key, Kind k) {
  std::string where = path.empty() ? key : path + "." + key;
  if (!obj.is_object() || !obj.contains(key)) return Error(where + ": missing");
  if (!is(obj[key], k)) return Error(where + ": expected " + kind_name(k));
  return Status::Ok();
}

struct Field {
  const char* key;
  Kind kind;
};

// Each element of the array `doc[section]` must be an object with `fields`.
Status need_rows(const json& doc, const char* section, std::initializer_list<Field> fields) {
  const json& rows = doc[section];
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string path = std::string(section) + "[" + std::to_string(i) + "]";
    if (!rows[i].is_object()) return Error(path + ": expected an object");
    for (const Field& f : fields) {
      if (Status st = need(rows[i], path, f.key, f.kind); !st.ok()) return st;
    }
  }
  return Status::Ok();
}

}  // namespace

Status check_results_doc(const json& doc) {
  if (!doc.is_object()) return Error("not a results document: expected a JSON object");
  if (!doc.contains("schema") || doc["schema"] != kResultsSchema) {
    return Error(std::string("not a results document: \"schema\" is not \"") + kResultsSchema +
                 "\" (summary.json is not a results file; use results.json)");
  }
  if (!doc.contains("version") || !doc["version"].is_number_integer()) {
    return Error("version: expected an integer");
  }
  int version = doc["version"].get<int>();
  if (version != kResultsVersion) {
    return Error("schema version " + std::to_string(version) +
                 " is not supported (this stampede reads version " +
                 std::to_string(kResultsVersion) + ")");
  }
  for (Field f : {Field{"run", Kind::kObject}, Field{"verdict", Kind::kObject},
                  Field{"timeline", Kind::kArray}, Field{"fine_timeline", Kind::kObject},
                  Field{"metrics", Kind::kArray}, Field{"requests", Kind::kArray},
                  Field{"latency_distribution", Kind::kObject}, Field{"thresholds", Kind::kArray},
                  Field{"checks", Kind::kArray}, Field{"script_errors", Kind::kArray},
                  Field{"generator", Kind::kObject}, Field{"chaos", Kind::kObject},
                  Field{"platform", Kind::kObject}, Field{"phases", Kind::kArray},
                  Field{"validations", Kind::kArray}}) {
    if (Status st = need(doc, "", f.key, f.kind); !st.ok()) return st;
  }
  const json& run = doc["run"];
  for (Field f : {Field{"script", Kind::kString}, Field{"scenarios", Kind::kArray},
                  Field{"duration_s", Kind::kNumber}, Field{"outcome", Kind::kString},
                  Field{"start_time", Kind::kString}}) {
    if (Status st = need(run, "run", f.key, f.kind); !st.ok()) return st;
  }
  // Optional (results of a version before execution segments lack them), but both or neither.
  if (run.contains("execution_segment") || run.contains("execution_segment_sequence")) {
    for (Field f : {Field{"execution_segment", Kind::kString},
                    Field{"execution_segment_sequence", Kind::kString}}) {
      if (Status st = need(run, "run", f.key, f.kind); !st.ok()) return st;
    }
  }
  // Only in `stampede merge` results.
  if (doc.contains("merge")) {
    for (Field f : {Field{"inputs", Kind::kArray}, Field{"coverage", Kind::kObject},
                    Field{"warnings", Kind::kArray}}) {
      if (Status st = need(doc["merge"], "merge", f.key, f.kind); !st.ok()) return st;
    }
    for (Field f : {Field{"sequence", Kind::kString}, Field{"covered", Kind::kString},
                    Field{"missing", Kind::kArray}}) {
      if (Status st = need(doc["merge"]["coverage"], "merge.coverage", f.key, f.kind); !st.ok()) {
        return st;
      }
    }
    const json& inputs = doc["merge"]["inputs"];
    for (size_t i = 0; i < inputs.size(); ++i) {
      const std::string where = "merge.inputs[" + std::to_string(i) + "]";
      for (Field f : {Field{"dir", Kind::kString}, Field{"segment", Kind::kString},
                      Field{"outcome", Kind::kString}, Field{"requests", Kind::kNumber},
                      Field{"errors", Kind::kNumber}, Field{"iterations", Kind::kNumber},
                      Field{"seconds", Kind::kNumber}}) {
        if (Status st = need(inputs[i], where, f.key, f.kind); !st.ok()) return st;
      }
    }
    for (const json& seg : doc["merge"]["coverage"]["missing"]) {
      if (!seg.is_string()) return Error("merge.coverage.missing: expected strings");
    }
    for (const json& w : doc["merge"]["warnings"]) {
      if (!w.is_string()) return Error("merge.warnings: expected strings");
    }
  }
  for (Field f : {Field{"passed", Kind::kBool}, Field{"exit_code", Kind::kNumber},
                  Field{"reasons", Kind::kArray}}) {
    if (Status st = need(doc["verdict"], "verdict", f.key, f.kind); !st.ok()) return st;
  }
  for (Field f : {Field{"bucket_s", Kind::kNumber}, Field{"latency_bounds_ms", Kind::kArray},
                  Field{"buckets", Kind::kArray}}) {
    if (Status st = need(doc["fine_timeline"], "fine_timeline", f.key, f.kind); !st.ok()) return st;
  }
  for (Field f : {Field{"bottleneck", Kind::kBool}, Field{"reasons", Kind::kArray}}) {
    if (Status st = need(doc["generator"], "generator", f.key, f.kind); !st.ok()) return st;
  }
  for (Field f : {Field{"events", Kind::kArray}, Field{"spans", Kind::kArray}}) {
    if (Status st = need(doc["chaos"], "chaos", f.key, f.kind); !st.ok()) return st;
  }
  for (Field f : {Field{"samples", Kind::kArray}, Field{"events", Kind::kArray}}) {
    if (Status st = need(doc["platform"], "platform", f.key, f.kind); !st.ok()) return st;
  }
  Status st = need_rows(doc, "requests",
                        {{"name", Kind::kString},
                         {"requests", Kind::kNumber},
                         {"failed", Kind::kNumber},
                         {"error_rate", Kind::kNumber},
                         {"rps", Kind::kNumber},
                         {"p50", Kind::kNumber},
                         {"p95", Kind::kNumber},
                         {"p99", Kind::kNumber}});
  if (!st.ok()) return st;
  st = need_rows(doc, "timeline",
                 {{"t", Kind::kNumber}, {"requests", Kind::kNumber}, {"failed", Kind::kNumber}});
  if (!st.ok()) return st;
  st = need_rows(doc, "thresholds",
                 {{"metric", Kind::kString},
                  {"expression", Kind::kString},
                  {"observed", Kind::kNumber},
                  {"passed", Kind::kBool}});
  if (!st.ok()) return st;
  st = need_rows(doc, "validations",
                 {{"name", Kind::kString},
                  {"kind", Kind::kString},
                  {"passed", Kind::kBool},
                  {"summary", Kind::kString},
                  {"evidence", Kind::kArray}});
  if (!st.ok()) return st;
  st = need_rows(doc, "phases",
                 {{"name", Kind::kString},
                  {"start", Kind::kNumber},
                  {"end", Kind::kNumber},
                  {"by_requests", Kind::kNumber},
                  {"by_time", Kind::kNumber}});
  if (!st.ok()) return st;
  return Status::Ok();
}

Result<json> load_results(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(path + ": cannot read: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // Parse again with exceptions for the position of the problem.
    try {
      json ignored = json::parse(text.str());
    } catch (const json::parse_error& e) {
      return Error(path + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    return Error(path + ": not valid JSON");
  }
  if (Status st = check_results_doc(doc); !st.ok()) return st.error().with_context(path);
  return doc;
}

}  // namespace stampede
