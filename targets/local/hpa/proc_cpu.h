// CPU time of processes from /proc/<pid>/stat: utime + stime. The process's own stat line
// counts every thread of the process, live and exited (the kernel sums the thread group;
// /proc/<pid>/task/<tid>/stat is one thread). Time spent in child processes is not included.
// Resolution is one clock tick (sysconf(_SC_CLK_TCK), usually 10 ms). Thread-safe.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.h"

namespace stampede::local {

// Seconds of CPU the process `pid` has used. Errors name the file: the process is gone, or the
// file could not be parsed.
Result<double> read_process_cpu_seconds(pid_t pid);

// The sum over `pids`; the first error stops the sum.
Result<double> read_cpu_seconds(const std::vector<pid_t>& pids);

// Parses the text of a /proc/<pid>/stat file (the command name may hold spaces and
// parentheses). `source` names the file in errors.
Result<double> parse_proc_stat_cpu_seconds(const std::string& text, long ticks_per_second,
                                           const std::string& source);

}  // namespace stampede::local
