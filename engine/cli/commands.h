// The subcommands of the stampede binary. Each returns an exit code (exit_codes.h); main()
// only parses the command line and dispatches.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/lua/options_reader.h"
#include "engine/output/pushgateway.h"
#include "engine/platform/platform_target.h"

namespace stampede {

struct RunFlags {
  std::string script;
  CliOverrides overrides;
  std::map<std::string, std::string> env;
  std::string out_dir;
  std::string metrics_addr;      // --metrics-addr HOST:PORT; empty for none
  PushgatewayFlags pushgateway;  // run: --pushgateway URL, --pushgateway-job, --pushgateway-label
  bool quiet = false;
  bool no_color = false;
  PlatformTarget platform;  // --state-dir, --kubeconfig, --context, --in-cluster, ...
  bool dry_run = false;     // run: check everything, print the chaos plan, send nothing
};

struct RbacFlags {
  RunFlags run;  // the script, -e, and the platform flags
  std::string role_name = "stampede-chaos";
  bool admin_token_from_env = false;  // the runner gets STAMPEDE_ADMIN_TOKEN: no Secret read
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

struct MergeFlags {
  std::vector<std::string> dirs;  // --out folders of runs that split one test by segments
  std::string out_dir;            // -o
  bool quiet = false;             // no terminal summary
};

int run_command(const RunFlags& flags);
// `stampede merge DIR... -o OUT`: merges the runs' intervals.pb exactly and writes the outputs
// into OUT; exit code of the merged verdict, 104 for inputs that cannot be merged.
int merge_command(const MergeFlags& flags);
int validate_command(const RunFlags& flags);
int version_command();
// `stampede chaos revert`: undoes the faults the chaos journal of the target's state dir still
// lists, on the target's platform.
int chaos_revert_command(const PlatformTarget& target);
// `stampede rbac SCRIPT`: prints the Role a script's chaos plan needs on a cluster.
int rbac_command(const RbacFlags& flags);
// Re-renders report.html (and optionally junit.xml, summary.md) from a results.json: 0, or 104
// for a missing, corrupt or other-version file.
int report_command(const ReportFlags& flags);
// Compares two results.json per request name: 0, 99 on a regression, 104 on bad input.
int compare_command(const CompareFlags& flags);

}  // namespace stampede
