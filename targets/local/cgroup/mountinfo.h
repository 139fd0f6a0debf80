// Reading where cgroup hierarchies are mounted (/proc/self/mountinfo) and which cgroup this
// process is in (/proc/self/cgroup). Plain parsing; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace stampede::local {

struct MountEntry {
  std::string root;                        // the directory of the filesystem mounted here (field 4)
  std::string mount_point;                 // field 5, octal escapes (\040) decoded
  std::string fs_type;                     // "cgroup2", "cgroup", ...
  std::vector<std::string> super_options;  // for cgroup v1: the controllers, e.g. {"rw", "cpu"}
};

// Parses the text of a mountinfo file; malformed lines are errors naming `source` and the line.
Result<std::vector<MountEntry>> parse_mountinfo(const std::string& text, const std::string& source);

// One line of /proc/<pid>/cgroup: "hierarchy-id:controllers:path".
struct CgroupMembership {
  std::vector<std::string> controllers;  // empty for the cgroup v2 line ("0::/path")
  std::string path;
};

// Parses the text of a /proc/<pid>/cgroup file; malformed lines are errors naming `source`.
Result<std::vector<CgroupMembership>> parse_proc_cgroup(const std::string& text,
                                                        const std::string& source);

}  // namespace stampede::local
