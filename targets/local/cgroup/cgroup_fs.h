// The few file operations cgroups need, with errors that name the path. A cgroup is a
// directory; its control files take one value per write(). Thread-safe (no shared state).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.h"

namespace stampede::local::cgroupfs {

// Writes `value` with a single write() (how cgroup control files want it).
Status write_file(const std::string& path, const std::string& value);

// Creates a directory; one that already exists is fine.
Status make_dir(const std::string& path);

// Removes a directory. True: removed (or already gone); false: busy — a cgroup that still
// holds processes. Other failures are errors.
Result<bool> remove_dir(const std::string& path);

bool exists(const std::string& path);

// The pids listed in a cgroup.procs file.
Result<std::vector<pid_t>> read_pids(const std::string& procs_file);

// Names of the subdirectories of `dir`.
Result<std::vector<std::string>> list_subdirs(const std::string& dir);

}  // namespace stampede::local::cgroupfs
