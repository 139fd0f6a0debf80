// Small text helpers shared by the engine, the local runtime and the Kubernetes client.
// Header-only, pure.
#pragma once

#include <string>
#include <string_view>

namespace stampede {

// `text` without leading and trailing blanks (space, tab, CR, LF).
inline std::string trim(std::string_view text) {
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(b, e - b + 1));
}

}  // namespace stampede
