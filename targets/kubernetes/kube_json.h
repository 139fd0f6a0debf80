// Reading fields of Kubernetes objects (and of any JSON from the network) without throwing: the API
// leaves out empty fields, so a missing key or a value of another type reads as null, "" or the
// fallback. Pure, header-only.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace stampede::kube_json {

// j[key], or null when j is not an object or has no such key.
inline const nlohmann::json& at(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// j[key] as a string; "" when absent or not a string.
inline std::string str(const nlohmann::json& j, const char* key) {
  const nlohmann::json& v = at(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// j[key] as an integer; `fallback` when absent or not an integer.
inline int64_t integer(const nlohmann::json& j, const char* key, int64_t fallback) {
  const nlohmann::json& v = at(j, key);
  return v.is_number_integer() ? v.get<int64_t>() : fallback;
}

// j[key] as a number; `fallback` when absent or not a number.
inline double number(const nlohmann::json& j, const char* key, double fallback) {
  const nlohmann::json& v = at(j, key);
  return v.is_number() ? v.get<double>() : fallback;
}

}  // namespace stampede::kube_json
