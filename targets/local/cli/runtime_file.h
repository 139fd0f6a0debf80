// <state dir>/runtime.json: how `stampede ps` and `down` find a running `stampede up`
// (docs/local-runtime-api.md). Thread-safe functions.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "common/result.h"

namespace stampede::local {

struct RuntimeInfo {
  pid_t pid = 0;
  std::string api;  // http://127.0.0.1:PORT
  std::string token;
  std::string state_dir;
  std::string values;
  int64_t started_unix_ms = 0;

  uint16_t api_port() const;  // parsed from `api`; 0 when malformed
};

std::string runtime_file_path(const std::string& state_dir);
// Writes the file atomically with mode 0600. Errors name the path.
Status write_runtime_file(const RuntimeInfo& info);
// Writes `text` to `path` atomically (a temporary file renamed over it) with mode 0600: for
// files that hold a token. Errors name the path.
Status write_private_file(const std::string& path, const std::string& text);
// Reads it. Errors: "no stampede up running in DIR (no runtime.json)", or what is malformed.
Result<RuntimeInfo> read_runtime_file(const std::string& state_dir);
// True when a process with this pid exists.
bool process_alive(pid_t pid);

// The state dir made absolute ("" means ./.stampede).
std::string absolute_state_dir(const std::string& state_dir);

}  // namespace stampede::local
