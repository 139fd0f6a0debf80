// `stampede merge DIR... -o OUT`: the exact offline merge of runs that split one test by
// execution segments (engine/fleet/run_merge.h), written like a single run's outputs.
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "engine/cli/commands.h"
#include "engine/cli/exit_codes.h"
#include "engine/cli/run_outputs.h"
#include "engine/fleet/run_merge.h"
#include "engine/output/resilience_text.h"
#include "engine/output/summary_text.h"

namespace stampede {

int merge_command(const MergeFlags& flags) {
  auto sources = read_merge_sources(flags.dirs);
  if (!sources.ok()) {
    std::fprintf(stderr, "error: %s\n", sources.error().message().c_str());
    return kExitInvalidConfig;
  }
  if (!make_dirs(flags.out_dir)) {
    std::fprintf(stderr, "error: -o %s: cannot create the folder: %s\n", flags.out_dir.c_str(),
                 std::strerror(errno));
    return kExitInvalidConfig;
  }
  // The merged latency.hlog is written beside the other outputs as the merge closes seconds.
  const std::string hlog_path = flags.out_dir + "/latency.hlog";
  std::ofstream hlog_file(hlog_path + ".tmp", std::ios::trunc);
  if (!hlog_file) {
    std::fprintf(stderr, "error: cannot write %s: %s\n", hlog_path.c_str(), std::strerror(errno));
    return kExitInvalidConfig;
  }
  int64_t start_ms = INT64_MAX;
  for (const MergeSource& s : sources.value()) {
    start_ms = std::min<int64_t>(start_ms, s.log.header.start_unix_ms());
  }
  HlogWriter hlog(hlog_file);
  Status header = hlog.write_header(start_ms, "stampede merge http_req_duration, microseconds");
  auto merged = merge_runs(sources.value(), header.ok() ? &hlog : nullptr);
  if (!merged.ok()) {
    hlog_file.close();
    std::remove((hlog_path + ".tmp").c_str());
    std::fprintf(stderr, "error: %s\n", merged.error().message().c_str());
    return kExitInvalidConfig;
  }
  const RunResult& result = merged.value().result;
  hlog_file.close();
  if (!header.ok() || !hlog_file || std::rename((hlog_path + ".tmp").c_str(), hlog_path.c_str())) {
    std::fprintf(stderr, "error: cannot write %s\n", hlog_path.c_str());
    std::remove((hlog_path + ".tmp").c_str());
    return kExitInvalidConfig;
  }
  for (const std::string& w : result.merge->warnings) {
    std::fprintf(stderr, "warning: %s\n", w.c_str());
  }
  int code = exit_code_for(result);
  if (!flags.quiet) {
    std::fputs(render_summary_text(result, SummaryStyle{false}).c_str(), stdout);
    std::fputs(render_resilience_text(result.resilience, false).c_str(), stdout);
    std::fflush(stdout);
  }
  Status written = write_run_outputs(result, code, flags.out_dir);
  if (!written.ok()) {
    std::fprintf(stderr, "error: %s\n", written.error().message().c_str());
    if (code == kExitOk) code = kExitInvalidConfig;
  }
  return code;
}

}  // namespace stampede
