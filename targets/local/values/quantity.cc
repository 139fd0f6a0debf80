#include "targets/local/values/quantity.h"

#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

#include "targets/local/values/node_read.h"

namespace stampede::local {
namespace {

// Splits "1.5Gi" into 1.5 and "Gi"; false when the number part is malformed.
bool split_quantity(const std::string& s, double& number, std::string& suffix) {
  if (s.empty()) return false;
  char* end = nullptr;
  number = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(number)) return false;
  suffix = std::string(end);
  return true;
}

}  // namespace

Result<int64_t> read_cpu_millis(const YAML::Node& node, const std::string& path) {
  double number = 0;
  std::string suffix;
  if (!(node.IsDefined() && node.IsScalar()) || !split_quantity(node.Scalar(), number, suffix) ||
      (suffix != "" && suffix != "m")) {
    return Error(path + ": expected a CPU quantity like 200m, 1 or 0.5, got " + describe(node));
  }
  if (number < 0) return Error(path + ": must be >= 0, got " + node.Scalar());
  double millis = suffix == "m" ? number : number * 1000;
  return static_cast<int64_t>(std::ceil(millis - 1e-9));
}

Result<int64_t> read_memory_bytes(const YAML::Node& node, const std::string& path) {
  static const std::vector<std::pair<std::string, double>> kSuffixes = {{"", 1},
                                                                        {"k", 1e3},
                                                                        {"M", 1e6},
                                                                        {"G", 1e9},
                                                                        {"T", 1e12},
                                                                        {"P", 1e15},
                                                                        {"E", 1e18},
                                                                        {"Ki", 1024.0},
                                                                        {"Mi", 1048576.0},
                                                                        {"Gi", 1073741824.0},
                                                                        {"Ti", 1099511627776.0},
                                                                        {"m", 1e-3}};
  double number = 0;
  std::string suffix;
  if (node.IsDefined() && node.IsScalar() && split_quantity(node.Scalar(), number, suffix)) {
    for (const auto& [name, factor] : kSuffixes) {
      if (suffix != name) continue;
      if (number < 0) return Error(path + ": must be >= 0, got " + node.Scalar());
      return static_cast<int64_t>(std::ceil(number * factor));
    }
  }
  return Error(path + ": expected a memory quantity like 64Mi or 1G, got " + describe(node));
}

Result<IntOrPercent> read_int_or_percent(const YAML::Node& node, const std::string& path) {
  if (node.IsDefined() && node.IsScalar()) {
    std::string s = node.Scalar();
    bool percent = !s.empty() && s.back() == '%';
    if (percent) s.pop_back();
    YAML::Node number(s);
    auto v = read_int(number, path);
    if (v.ok()) {
      if (v.value() < 0) return Error(path + ": must be >= 0, got " + node.Scalar());
      if (percent && v.value() > 100)
        return Error(path + ": must be <= 100%, got " + node.Scalar());
      return IntOrPercent{percent, static_cast<int>(v.value())};
    }
  }
  return Error(path + ": expected an integer or a percentage like 25%, got " + describe(node));
}

}  // namespace stampede::local
