#include "shop-reference/common/env.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace shop {
namespace {

stampede::Error bad(std::string_view name, std::string_view expected, std::string_view value) {
  return stampede::Error("environment " + std::string(name) + ": expected " +
                         std::string(expected) + ", got '" + std::string(value) + "'");
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Env::Env()
    : lookup_([](std::string_view name) -> std::optional<std::string> {
        const char* v = std::getenv(std::string(name).c_str());
        if (v == nullptr) return std::nullopt;
        return std::string(v);
      }) {}

std::optional<std::string> Env::raw(std::string_view name) const {
  auto v = lookup_(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

stampede::Result<std::string> Env::required(std::string_view name, std::string_view what) const {
  auto v = raw(name);
  if (!v) {
    return stampede::Error("environment " + std::string(name) + ": required but not set (" +
                           std::string(what) + ")");
  }
  return *v;
}

std::string Env::string(std::string_view name, std::string_view fallback) const {
  auto v = raw(name);
  return v ? *v : std::string(fallback);
}

stampede::Result<int64_t> Env::integer(std::string_view name, int64_t fallback, int64_t min,
                                       int64_t max) const {
  auto v = raw(name);
  if (!v) return fallback;
  int64_t out = 0;
  const char* end = v->data() + v->size();
  auto [ptr, ec] = std::from_chars(v->data(), end, out);
  std::string expected = "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (ec != std::errc() || ptr != end || out < min || out > max) return bad(name, expected, *v);
  return out;
}

stampede::Result<double> Env::number(std::string_view name, double fallback, double min,
                                     double max) const {
  auto v = raw(name);
  if (!v) return fallback;
  char* end = nullptr;
  double out = std::strtod(v->c_str(), &end);
  std::string expected = "a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (end != v->c_str() + v->size() || !std::isfinite(out) || out < min || out > max) {
    return bad(name, expected, *v);
  }
  return out;
}

stampede::Result<bool> Env::boolean(std::string_view name, bool fallback) const {
  auto v = raw(name);
  if (!v) return fallback;
  std::string s = lower(*v);
  if (s == "1" || s == "true" || s == "yes" || s == "on") return true;
  if (s == "0" || s == "false" || s == "no" || s == "off") return false;
  return bad(name, "true or false", *v);
}

stampede::Result<std::chrono::milliseconds> Env::millis(std::string_view name,
                                                        std::chrono::milliseconds fallback,
                                                        int64_t max_ms) const {
  auto n = integer(name, fallback.count(), 0, max_ms);
  if (!n.ok()) return n.error();
  return std::chrono::milliseconds(n.value());
}

std::string prefixed(std::string_view prefix, std::string_view name) {
  return std::string(prefix) + "_" + std::string(name);
}

}  // namespace shop
