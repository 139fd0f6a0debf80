#include "targets/local/values/node_read.h"

#include <cerrno>
#include <cstdlib>

namespace stampede::local {

std::string key_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "null";
  if (node.IsMap()) return "a map";  // defined: checked above
  if (node.IsSequence()) return "a list";
  return "'" + node.Scalar() + "'";
}

bool is_null(const YAML::Node& node) {
  return !node.IsDefined() || node.IsNull();
}

Result<int64_t> read_int(const YAML::Node& node, const std::string& path) {
  if (node.IsDefined() && node.IsScalar()) {
    const std::string& s = node.Scalar();
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end != s.c_str() && *end == '\0' && errno == 0)
      return static_cast<int64_t>(v);
  }
  return Error(path + ": expected an integer, got " + describe(node));
}

Result<int> read_int_at_least(const YAML::Node& node, const std::string& path, int min) {
  auto v = read_int(node, path);
  if (!v.ok()) return v.error();
  if (v.value() < min) {
    return Error(path + ": must be >= " + std::to_string(min) + ", got " +
                 std::to_string(v.value()));
  }
  if (v.value() > 1'000'000'000) return Error(path + ": too large: " + std::to_string(v.value()));
  return static_cast<int>(v.value());
}

Result<double> read_number(const YAML::Node& node, const std::string& path) {
  if (node.IsDefined() && node.IsScalar()) {
    const std::string& s = node.Scalar();
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (!s.empty() && end != s.c_str() && *end == '\0' && v == v) return v;
  }
  return Error(path + ": expected a number, got " + describe(node));
}

Result<bool> read_bool(const YAML::Node& node, const std::string& path) {
  if (node.IsDefined() && node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  return Error(path + ": expected true or false, got " + describe(node));
}

Result<std::string> read_string(const YAML::Node& node, const std::string& path) {
  if (node.IsDefined() && node.IsScalar()) return node.Scalar();
  return Error(path + ": expected a string, got " + describe(node));
}

Result<std::vector<std::string>> read_string_list(const YAML::Node& node, const std::string& path) {
  std::vector<std::string> out;
  if (is_null(node)) return out;
  if (!node.IsDefined() || !node.IsSequence())
    return Error(path + ": expected a list, got " + describe(node));
  for (size_t i = 0; i < node.size(); ++i) {
    auto s = read_string(node[i], path + "[" + std::to_string(i) + "]");
    if (!s.ok()) return s.error();
    out.push_back(s.value());
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> read_string_map(const YAML::Node& node,
                                                                         const std::string& path) {
  std::vector<std::pair<std::string, std::string>> out;
  if (is_null(node)) return out;
  if (!node.IsDefined() || !node.IsMap())
    return Error(path + ": expected a map, got " + describe(node));
  for (const auto& kv : node) {
    std::string key = kv.first.Scalar();
    auto v = read_string(kv.second, key_path(path, key));
    if (!v.ok()) return v.error();
    out.emplace_back(key, v.value());
  }
  return out;
}

Status expect_map(const YAML::Node& node, const std::string& path, bool optional) {
  if (optional && is_null(node)) return Status::Ok();
  if (!node.IsDefined() || !node.IsMap())
    return Error(path + ": expected a map, got " + describe(node));
  return Status::Ok();
}

}  // namespace stampede::local
