#include "targets/local/values/values_tree.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace stampede::local {
namespace {

YAML::Node typed_scalar(const std::string& text) {
  if (text == "null") return YAML::Node(YAML::NodeType::Null);
  // Every scalar is text in yaml-cpp; helm's typing matters for the readers, which accept
  // "true"/"false" and integers from any scalar. Kept as written.
  return YAML::Node(text);
}

// Splits on `sep` outside {...}, honouring backslash escapes (kept for the next stage).
std::vector<std::string> split_top(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      cur += c;
      cur += s[++i];
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}' && depth > 0) --depth;
    if (c == sep && depth == 0) {
      out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  out.push_back(cur);
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

struct Step {
  std::string key;  // a map key, or empty for a pure index step
  std::vector<size_t> indexes;
};

Result<std::vector<Step>> parse_key(const std::string& key, const std::string& where) {
  std::vector<Step> steps;
  for (const std::string& raw : split_top(key, '.')) {
    Step step;
    size_t bracket = std::string::npos;
    // The first '[' not escaped starts the indexes.
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\') {
        ++i;
        continue;
      }
      if (raw[i] == '[') {
        bracket = i;
        break;
      }
    }
    step.key = unescape(raw.substr(0, bracket));
    if (step.key.empty()) return Error(where + ": empty key in '" + key + "'");
    while (bracket != std::string::npos && bracket < raw.size()) {
      size_t close = raw.find(']', bracket);
      if (raw[bracket] != '[' || close == std::string::npos) {
        return Error(where + ": malformed index in '" + raw + "'");
      }
      std::string number = raw.substr(bracket + 1, close - bracket - 1);
      char* end = nullptr;
      errno = 0;
      long v = std::strtol(number.c_str(), &end, 10);
      if (number.empty() || *end != '\0' || v < 0 || v > 65535 || errno != 0) {
        return Error(where + ": bad list index '" + number + "' in '" + raw + "'");
      }
      step.indexes.push_back(static_cast<size_t>(v));
      bracket = close + 1 < raw.size() ? close + 1 : std::string::npos;
    }
    steps.push_back(step);
  }
  return steps;
}

YAML::Node parse_value(const std::string& raw) {
  if (raw.size() >= 2 && raw.front() == '{' && raw.back() == '}') {
    YAML::Node list(YAML::NodeType::Sequence);
    std::string inner = raw.substr(1, raw.size() - 2);
    if (inner.empty()) return list;
    for (const std::string& item : split_top(inner, ','))
      list.push_back(typed_scalar(unescape(item)));
    return list;
  }
  return typed_scalar(unescape(raw));
}

void set_path(YAML::Node node, const std::vector<Step>& steps, size_t at, const YAML::Node& value) {
  const Step& step = steps[at];
  bool last = at + 1 == steps.size();
  if (!node[step.key].IsDefined() || node[step.key].IsNull() ||
      (!step.indexes.empty() && !node[step.key].IsSequence()) ||
      (step.indexes.empty() && !last && !node[step.key].IsMap())) {
    node[step.key] = step.indexes.empty() ? (last ? value : YAML::Node(YAML::NodeType::Map))
                                          : YAML::Node(YAML::NodeType::Sequence);
  }
  YAML::Node cur = node[step.key];
  for (size_t k = 0; k < step.indexes.size(); ++k) {
    size_t index = step.indexes[k];
    while (cur.size() <= index) cur.push_back(YAML::Node(YAML::NodeType::Null));
    bool deepest = k + 1 == step.indexes.size();
    if (deepest && last) {
      cur[index] = value;
      return;
    }
    if (deepest) {
      if (!cur[index].IsMap()) cur[index] = YAML::Node(YAML::NodeType::Map);
    } else if (!cur[index].IsSequence()) {
      cur[index] = YAML::Node(YAML::NodeType::Sequence);
    }
    cur.reset(cur[index]);
  }
  if (last) {
    if (step.indexes.empty()) node[step.key] = value;
    return;
  }
  set_path(cur, steps, at + 1, value);
}

}  // namespace

Result<YAML::Node> load_yaml_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(path + ": cannot read: " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  try {
    YAML::Node node = YAML::Load(text.str());
    if (!node.IsDefined() || node.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!node.IsMap()) return Error(path + ": expected a map of values at the top");
    return node;
  } catch (const YAML::ParserException& e) {
    return Error(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                 std::to_string(e.mark.column + 1) + ": " + e.msg);
  } catch (const YAML::Exception& e) {
    return Error(path + ": " + e.what());
  }
}

void merge_values(YAML::Node& base, const YAML::Node& overlay) {
  if (!overlay.IsMap() || !base.IsMap()) {
    base = YAML::Clone(overlay);
    return;
  }
  for (const auto& kv : overlay) {
    std::string key = kv.first.Scalar();
    if (kv.second.IsNull()) {
      base.remove(key);
      continue;
    }
    if (kv.second.IsMap() && base[key].IsMap()) {
      YAML::Node child = base[key];
      merge_values(child, kv.second);
    } else {
      base[key] = YAML::Clone(kv.second);
    }
  }
}

Status apply_set(YAML::Node& values, const std::string& argument) {
  std::string where = "--set " + argument;
  if (!values.IsMap()) values = YAML::Node(YAML::NodeType::Map);
  for (const std::string& pair : split_top(argument, ',')) {
    size_t eq = std::string::npos;
    for (size_t i = 0; i < pair.size(); ++i) {
      if (pair[i] == '\\') {
        ++i;
        continue;
      }
      if (pair[i] == '=') {
        eq = i;
        break;
      }
    }
    if (eq == std::string::npos || eq == 0) return Error(where + ": expected key=value");
    auto steps = parse_key(pair.substr(0, eq), where);
    if (!steps.ok()) return steps.error();
    try {
      set_path(values, steps.value(), 0, parse_value(pair.substr(eq + 1)));
    } catch (const YAML::Exception& e) {
      return Error(where + ": " + e.what());
    }
  }
  return Status::Ok();
}

}  // namespace stampede::local
