// The subcommands of the stampede binary. Each returns an exit code (exit_codes.h); main()
// only parses the command line and dispatches.
#pragma once

#include <map>
#include <string>

#include "engine/lua/options_reader.h"

namespace stampede {

struct RunFlags {
  std::string script;
  CliOverrides overrides;
  std::map<std::string, std::string> env;
  std::string out_dir;
  std::string metrics_addr;  // --metrics-addr HOST:PORT; empty for none
  bool quiet = false;
  bool no_color = false;
  std::string state_dir = ".stampede";  // the local runtime's (runtime.json, chaos journal)
  bool dry_run = false;                 // run: check everything, print the chaos plan, send nothing
};

struct ReportFlags {
  std::string results;      // results.json to render
  std::string html_out;     // -o; default: report.html beside the results file
  std::string junit_out;    // --junit; empty for none
  std::string summary_out;  // --summary; empty for none
};

struct CompareFlags {
  std::string base;
  std::string current;
  std::string max_regression = "10%";
};

int run_command(const RunFlags& flags);
int validate_command(const RunFlags& flags);
int version_command();
// `stampede chaos revert`: undoes the faults the chaos journal of `state_dir` still lists.
int chaos_revert_command(const std::string& state_dir);
// Re-renders report.html (and optionally junit.xml, summary.md) from a results.json: 0, or 104
// for a missing, corrupt or other-version file.
int report_command(const ReportFlags& flags);
// Compares two results.json per request name: 0, 99 on a regression, 104 on bad input.
int compare_command(const CompareFlags& flags);

}  // namespace stampede
