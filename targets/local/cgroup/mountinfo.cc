#include "targets/local/cgroup/mountinfo.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace stampede::local {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// Mount points escape space, tab, newline and backslash as \ooo.
std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto octal = [&](size_t k) { return s[k] >= '0' && s[k] <= '7'; };
    if (s[i] == '\\' && i + 3 < s.size() && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

Result<std::vector<MountEntry>> parse_mountinfo(const std::string& text,
                                                const std::string& source) {
  std::vector<MountEntry> mounts;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty()) continue;
    std::istringstream in(line);
    std::vector<std::string> fields;
    std::string f;
    while (in >> f) fields.push_back(f);
    // id parent major:minor root mount-point options [optional...] - type source super-options
    size_t dash = 0;
    for (size_t i = 6; i < fields.size(); ++i) {
      if (fields[i] == "-") {
        dash = i;
        break;
      }
    }
    if (fields.size() < 7 || dash == 0 || dash + 3 > fields.size()) {
      return Error(source + ":" + std::to_string(number) + ": malformed mountinfo line");
    }
    MountEntry m;
    m.root = unescape(fields[3]);
    m.mount_point = unescape(fields[4]);
    m.fs_type = fields[dash + 1];
    if (dash + 3 < fields.size()) m.super_options = split(fields[dash + 3], ',');
    mounts.push_back(std::move(m));
  }
  return mounts;
}

Result<std::vector<CgroupMembership>> parse_proc_cgroup(const std::string& text,
                                                        const std::string& source) {
  std::vector<CgroupMembership> out;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty()) continue;
    const size_t first = line.find(':');
    const size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) {
      return Error(source + ":" + std::to_string(number) + ": malformed cgroup line");
    }
    CgroupMembership m;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    if (!controllers.empty()) m.controllers = split(controllers, ',');
    m.path = line.substr(second + 1);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace stampede::local
