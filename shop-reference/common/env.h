// Reading a service's configuration from its environment, with errors that name the variable.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace shop {

// A read-only view of environment variables. Tests inject a lookup function; services use the
// process environment. Errors read "environment NAME: <what was expected>, got '<value>'".
// Thread-safe as long as the lookup is (the process environment is not modified after start).
class Env {
 public:
  using Lookup = std::function<std::optional<std::string>(std::string_view)>;

  // The process environment.
  Env();
  explicit Env(Lookup lookup) : lookup_(std::move(lookup)) {}

  // The raw value, or nullopt when unset. An empty value counts as unset.
  std::optional<std::string> raw(std::string_view name) const;
  // The value; an Error when unset ("environment NAME: required but not set (what)").
  stampede::Result<std::string> required(std::string_view name, std::string_view what) const;
  std::string string(std::string_view name, std::string_view fallback) const;
  // An integer in [min, max]; `fallback` when unset.
  stampede::Result<int64_t> integer(std::string_view name, int64_t fallback, int64_t min,
                                    int64_t max) const;
  // A finite number in [min, max]; `fallback` when unset.
  stampede::Result<double> number(std::string_view name, double fallback, double min,
                                  double max) const;
  // true/false/1/0/yes/no/on/off (any case); `fallback` when unset.
  stampede::Result<bool> boolean(std::string_view name, bool fallback) const;
  // A whole number of milliseconds in [0, max_ms]; `fallback` when unset.
  stampede::Result<std::chrono::milliseconds> millis(std::string_view name,
                                                     std::chrono::milliseconds fallback,
                                                     int64_t max_ms = 3'600'000) const;

 private:
  Lookup lookup_;
};

// Joins a dependency prefix and a setting: prefixed("PAYMENT", "DEADLINE_MS") is
// "PAYMENT_DEADLINE_MS".
std::string prefixed(std::string_view prefix, std::string_view name);

}  // namespace shop
