// The files `stampede run --out DIR` leaves, however the run ended: summary.json (k6's
// summary-export shape), results.json (the versioned results document), report.html,
// junit.xml and summary.md (latency.hlog is streamed during the run). Main thread only.
#pragma once

#include <string>

#include "common/result.h"
#include "engine/run/run_result.h"

namespace stampede {

// Writes every output into `dir` (which exists). Each file is written to a temporary name and
// renamed, so a reader never sees half a file. Errors name the first file that failed; the
// others are still attempted.
Status write_run_outputs(const RunResult& result, int exit_code, const std::string& dir);

// The exit code of a finished run (or a merged one): its outcome, else its thresholds and
// validations (exit_codes.h).
int exit_code_for(const RunResult& result);

// Creates `path` and its missing parents; false (errno set) when one cannot be made.
bool make_dirs(const std::string& path);

// Writes `content` to `path` through `path`.tmp and a rename. Errors name the path.
Status write_file_atomically(const std::string& path, const std::string& content);

}  // namespace stampede
