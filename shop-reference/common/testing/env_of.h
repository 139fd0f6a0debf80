// Test-only: an Env over a fixed map of variables instead of the process environment.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "shop-reference/common/env.h"

namespace shop::testing {

inline Env env_of(std::map<std::string, std::string> vars) {
  return Env([vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

}  // namespace shop::testing
