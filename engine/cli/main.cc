// stampede: command-line entry point. Parses flags with CLI11 and dispatches to a command;
// flag errors exit with 104.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>

#include "engine/cli/commands.h"
#include "engine/cli/exit_codes.h"
#include "engine/cli/local_commands.h"
#include "engine/core/duration.h"
#include "engine/exec/execution_segment.h"

using namespace stampede;

namespace {

// Where chaos acts: the local runtime of --state-dir, or a cluster (docs/kubernetes.md).
void add_platform_flags(CLI::App* cmd, PlatformTarget& target) {
  cmd->add_option("--state-dir", target.state_dir,
                  "the local runtime's state dir, and where the chaos journal is kept (default "
                  ".stampede)");
  cmd->add_option(
      "--kubeconfig", target.kubeconfig,
      "act on the Kubernetes cluster of this kubeconfig (instead of the local runtime)");
  cmd->add_option("--context", target.context,
                  "the kubeconfig context (default: its current-context); alone, it reads "
                  "$KUBECONFIG or ~/.kube/config");
  cmd->add_flag("--in-cluster", target.in_cluster,
                "act on the cluster this pod runs in, with its service account");
  cmd->add_option("-n,--namespace", target.namespace_,
                  "the namespace (default: the context's or the service account's, else default)");
  cmd->add_option("--name-prefix", target.name_prefix,
                  "prefix of the deployment names on the cluster: the script's \"frontend\" is "
                  "<prefix>frontend (the shop chart names them <release fullname>-<service>)");
  cmd->add_option("--admin-token-secret", target.admin_token_secret,
                  "the Secret with the shop's admin token, for fault actions (default "
                  "<name prefix>admin-token, the chart's; STAMPEDE_ADMIN_TOKEN wins)");
}

// The flags CLI11 keeps as text; finish_flags checks and converts them.
struct TextFlags {
  std::string duration;
  std::vector<std::string> env;
  std::string segment, sequence;
  CLI::Option* segment_option = nullptr;
  CLI::Option* sequence_option = nullptr;
};

void add_run_flags(CLI::App* cmd, RunFlags& flags, TextFlags& text) {
  std::string& duration = text.duration;
  std::vector<std::string>& env = text.env;
  cmd->add_option("script", flags.script, "Lua script with the journeys")->required();
  cmd->add_option("--vus,-u", flags.overrides.vus,
                  "virtual users (replaces the script's scenarios)")
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}));
  cmd->add_option("--duration,-d", duration, "run time, e.g. 30s or 1m30s");
  cmd->add_option("--iterations,-i", flags.overrides.iterations, "total iterations")
      ->check(CLI::Range(int64_t{1}, int64_t{1'000'000'000'000}));
  cmd->add_option("--rate", flags.overrides.rate,
                  "iterations per second (an open-model constant-arrival-rate scenario)")
      ->check(CLI::Validator(
          [](std::string& s) {
            char* end = nullptr;
            double v = std::strtod(s.c_str(), &end);
            return end != s.c_str() && *end == '\0' && v > 0 && v < 1e9
                       ? std::string()
                       : "must be a number of iterations per second, more than 0 and less than 1e9";
          },
          "RATE"));
  cmd->add_option("--threads", flags.overrides.threads, "worker threads (default: one per core)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("-e,--env", env, "KEY=VALUE for the script's env table (repeatable)");
  cmd->add_option("--out,-o", flags.out_dir,
                  "folder for results.json, report.html, junit.xml, summary.md, summary.json and "
                  "latency.hlog");
  cmd->add_option(
      "--metrics-addr", flags.metrics_addr,
      "serve live Prometheus metrics on HOST:PORT/metrics during the run (port 0: any)");
  text.segment_option =
      cmd->add_option("--execution-segment", text.segment,
                      "run only this part of the test, e.g. 1/3:2/3 (k6's; docs/distributed.md)");
  text.sequence_option = cmd->add_option(
      "--execution-segment-sequence", text.sequence,
      "the segments all instances use, e.g. 0,1/3,2/3,1 (k6's; docs/distributed.md)");
  cmd->add_flag("--quiet,-q", flags.quiet, "no progress line");
  cmd->add_flag("--no-color", flags.no_color, "no ANSI colors");
  add_platform_flags(cmd, flags.platform);
}

// Applies the string flags CLI11 cannot type-check; false (after a message) on bad input.
bool finish_flags(RunFlags& flags, const TextFlags& text) {
  const std::string& duration = text.duration;
  const std::vector<std::string>& env = text.env;
  if (text.segment_option->count() > 0) {
    auto s = parse_execution_segment(text.segment);
    if (!s.ok()) {
      std::fprintf(stderr, "error: --execution-segment %s: %s\n", text.segment.c_str(),
                   s.error().message().c_str());
      return false;
    }
    flags.overrides.segment.segment = s.value();
  }
  if (text.sequence_option->count() > 0) {
    auto s = parse_execution_segment_sequence(text.sequence);
    if (!s.ok()) {
      std::fprintf(stderr, "error: --execution-segment-sequence %s: %s\n", text.sequence.c_str(),
                   s.error().message().c_str());
      return false;
    }
    flags.overrides.segment.sequence = s.value();
  }
  if (!duration.empty()) {
    auto d = parse_duration(duration);
    if (!d.ok() || d.value() <= 0) {
      std::fprintf(stderr, "error: --duration: %s\n",
                   d.ok() ? "must be positive" : d.error().message().c_str());
      return false;
    }
    flags.overrides.duration = d.value();
  }
  for (const std::string& kv : env) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "error: -e %s: expected KEY=VALUE\n", kv.c_str());
      return false;
    }
    flags.env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"stampede: load generator and chaos harness scripted in Lua"};
  app.require_subcommand(1);
  RunFlags run_flags, validate_flags;
  TextFlags run_text, validate_text;

  CLI::App* run = app.add_subcommand("run", "run a script's scenarios against its targets");
  add_run_flags(run, run_flags, run_text);
  CLI::Option* pushgateway =
      run->add_option("--pushgateway", run_flags.pushgateway.url,
                      "at the end of the run push the final metrics (the series of /metrics) to "
                      "this Prometheus Pushgateway, e.g. http://127.0.0.1:9091");
  run->add_option("--pushgateway-job", run_flags.pushgateway.job,
                  "the push's job label (default stampede)")
      ->needs(pushgateway);
  run->add_option("--pushgateway-label", run_flags.pushgateway.labels,
                  "KEY=VALUE: one more grouping label of the push (repeatable; instance defaults "
                  "to $JOB_COMPLETION_INDEX, else the host name)")
      ->needs(pushgateway);
  run->add_flag("--dry-run", run_flags.dry_run,
                "check the script and the chaos plan against the platform, list the pods each "
                "action would hit; no load, no fault");
  CLI::App* validate =
      app.add_subcommand("validate", "load a script and check its options; no load is sent");
  add_run_flags(validate, validate_flags, validate_text);
  app.add_subcommand("version", "print the version");
  CLI::App* chaos = app.add_subcommand("chaos", "chaos tools");
  chaos->require_subcommand(1);
  PlatformTarget revert_target;
  CLI::App* revert =
      chaos->add_subcommand("revert", "undo the faults a crashed run left (the chaos journal)");
  add_platform_flags(revert, revert_target);
  RbacFlags rbac_flags;
  TextFlags rbac_text;
  CLI::App* rbac = app.add_subcommand(
      "rbac", "print the Kubernetes Role a script's chaos plan needs (verbs per resource)");
  add_run_flags(rbac, rbac_flags.run, rbac_text);
  rbac->add_option("--role-name", rbac_flags.role_name, "the Role's name (default stampede-chaos)");
  rbac->add_flag("--admin-token-from-env", rbac_flags.admin_token_from_env,
                 "the runner is given STAMPEDE_ADMIN_TOKEN, so it reads no Secret");
  ReportFlags report_flags;
  CLI::App* report = app.add_subcommand("report", "re-render report.html from a results.json");
  report->add_option("results", report_flags.results, "results.json of a run")->required();
  report->add_option("-o,--output", report_flags.html_out,
                     "where to write the HTML report (default: report.html beside the results)");
  report->add_option("--junit", report_flags.junit_out, "also write junit.xml here");
  report->add_option("--summary", report_flags.summary_out, "also write summary.md here");
  CompareFlags compare_flags;
  CLI::App* compare =
      app.add_subcommand("compare", "compare two runs per request name; exit 99 on a regression");
  compare->add_option("base", compare_flags.base, "results.json of the baseline run")->required();
  compare->add_option("new", compare_flags.current, "results.json of the run to judge")->required();
  compare->add_option("--max-regression", compare_flags.max_regression,
                      "allowed change for the worse, e.g. 10% (default 10%)");
  MergeFlags merge_flags;
  CLI::App* merge = app.add_subcommand(
      "merge", "merge the --out folders of runs that split one test by execution segments");
  merge->add_option("dirs", merge_flags.dirs, "the runs' --out folders (each with intervals.pb)")
      ->required();
  merge->add_option("-o,--out", merge_flags.out_dir, "folder for the merged outputs")->required();
  merge->add_flag("--quiet,-q", merge_flags.quiet, "no terminal summary");
  LocalCommands* local_commands = add_local_commands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitInvalidConfig;
  }
  if (auto code = run_local_command(local_commands)) return *code;
  if (run->parsed()) {
    if (!finish_flags(run_flags, run_text)) return kExitInvalidConfig;
    return run_command(run_flags);
  }
  if (validate->parsed()) {
    if (!finish_flags(validate_flags, validate_text)) return kExitInvalidConfig;
    return validate_command(validate_flags);
  }
  if (revert->parsed()) return chaos_revert_command(revert_target);
  if (rbac->parsed()) {
    if (!finish_flags(rbac_flags.run, rbac_text)) return kExitInvalidConfig;
    return rbac_command(rbac_flags);
  }
  if (report->parsed()) return report_command(report_flags);
  if (compare->parsed()) return compare_command(compare_flags);
  if (merge->parsed()) return merge_command(merge_flags);
  return version_command();
}
