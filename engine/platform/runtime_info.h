// RuntimeInfo: what `stampede up` writes to <state dir>/runtime.json once its control API
// listens (docs/local-runtime-api.md): where the API is and the token it wants.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace stampede {

struct RuntimeInfo {
  int64_t pid = 0;
  std::string api;  // "http://127.0.0.1:41234"
  std::string token;
  std::string state_dir;
  std::string values;
};

// The runtime.json path for a state dir.
std::string runtime_json_path(const std::string& state_dir);

// Reads <state dir>/runtime.json. Errors name the file: missing ("is `stampede up` running?"),
// unreadable, not JSON, or without "api"/"token".
Result<RuntimeInfo> read_runtime_info(const std::string& state_dir);

}  // namespace stampede
