// Whole-file reads for small files (kernel files under /proc and /sys, configuration); the error
// names the path. Shared by the local runtime's cgroup and HPA code.
#pragma once

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "common/result.h"

namespace stampede {

inline Result<std::string> read_text_file(const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(path + ": " + std::strerror(errno != 0 ? errno : ENOENT));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error(path + ": read failed");
  return text.str();
}

}  // namespace stampede
