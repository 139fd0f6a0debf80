// A client of the control API for `stampede ps`/`down` and the tests: one blocking call per
// request with the token from runtime.json. Thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "targets/local/cli/runtime_file.h"

namespace stampede::local {

struct ApiAnswer {
  int status = 0;
  nlohmann::json body;  // parsed JSON (null when the body was not JSON)
};

// Calls `method path` with `body` (JSON text, "" for none). Errors: no answer (the message
// names the address), never an HTTP status.
Result<ApiAnswer> api_call(const RuntimeInfo& info, const std::string& method,
                           const std::string& path, const std::string& body = "",
                           std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace stampede::local
