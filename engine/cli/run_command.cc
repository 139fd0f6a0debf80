#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

#include "engine/chaos/chaos_journal.h"
#include "engine/chaos/dry_run.h"
#include "engine/chaos/rbac_rules.h"
#include "engine/cli/commands.h"
#include "engine/cli/exit_codes.h"
#include "engine/cli/run_outputs.h"
#include "engine/core/duration.h"
#include "engine/exec/segment_plan.h"
#include "engine/output/metrics_endpoint.h"
#include "engine/output/pushgateway.h"
#include "engine/output/resilience_text.h"
#include "engine/output/run_metrics.h"
#include "engine/output/summary_text.h"
#include "engine/output/terminal_progress.h"
#include "engine/run/run_controller.h"

namespace stampede {
namespace {

// How long the end of a run waits for the Pushgateway (docs/reports.md, "Pushgateway").
constexpr std::chrono::seconds kPushTimeout{10};

RunOptions options_from(const RunFlags& flags) {
  RunOptions options;
  options.script_path = flags.script;
  options.cli = flags.overrides;
  options.env = flags.env;
  options.platform = flags.platform;
  return options;
}

// With an execution segment: what this instance runs of each scenario (docs/distributed.md).
void print_segment_parts(const RunPlan& plan) {
  if (plan.segment.segment().is_full()) return;
  std::printf("execution segment %s of the sequence %s:\n",
              plan.segment.segment().to_string().c_str(),
              plan.segment.sequence().to_string().c_str());
  for (const ScenarioPlan& s : plan.scenarios) {
    const ScenarioPart p = scenario_part(s);
    std::string line = "  scenario " + s.name + " (" + executor_name(s.executor) +
                       "): " + std::to_string(p.vus) + " of " + std::to_string(p.vus_total) +
                       " VUs";
    if (p.iterations >= 0) {
      line += ", " + std::to_string(p.iterations) + " of " + std::to_string(p.iterations_total) +
              " iterations";
    }
    if (p.arrivals >= 0) {
      line += ", " + std::to_string(p.arrivals) + " of " + std::to_string(p.arrivals_total) +
              " iterations started on schedule";
    }
    std::printf("%s\n", line.c_str());
  }
}

std::unique_ptr<RunController> prepare_or_report(const RunFlags& flags, int* exit_code) {
  PrepareFailure failure;
  RunOptions options = options_from(flags);
  options.offline = true;
  auto rc = RunController::prepare(options, &failure);
  if (!rc.ok()) {
    std::fprintf(stderr, "error: %s\n", rc.error().message().c_str());
    *exit_code = failure == PrepareFailure::kScript ? kExitScriptError : kExitInvalidConfig;
    return nullptr;
  }
  return std::move(rc).value();
}

}  // namespace

int run_command(const RunFlags& flags) {
  if (!flags.out_dir.empty() && !make_dirs(flags.out_dir)) {
    std::fprintf(stderr, "error: --out %s: cannot create the folder: %s\n", flags.out_dir.c_str(),
                 std::strerror(errno));
    return kExitInvalidConfig;
  }
  RunOptions options = options_from(flags);
  if (!flags.out_dir.empty()) {
    options.hlog_path = flags.out_dir + "/latency.hlog";
    options.intervals_path = flags.out_dir + "/intervals.pb";
  }
  std::optional<PushgatewayTarget> push;
  if (!flags.pushgateway.url.empty()) {
    auto target = pushgateway_target(flags.pushgateway, default_push_instance());
    if (!target.ok()) {
      std::fprintf(stderr, "error: %s\n", target.error().message().c_str());
      return kExitInvalidConfig;
    }
    push = std::move(target).value();
  }
  // The run's Prometheus series: served live with --metrics-addr, pushed at the end with
  // --pushgateway.
  std::unique_ptr<RunMetrics> metrics;
  std::unique_ptr<MetricsEndpoint> endpoint;
  if (!flags.metrics_addr.empty() || push) {
    metrics = std::make_unique<RunMetrics>();
    options.observer = metrics.get();
  }
  if (!flags.metrics_addr.empty()) {
    auto address = parse_listen_address(flags.metrics_addr);
    if (!address.ok()) {
      std::fprintf(stderr, "error: %s\n", address.error().message().c_str());
      return kExitInvalidConfig;
    }
    auto started = MetricsEndpoint::start(address.value(), *metrics);
    if (!started.ok()) {
      std::fprintf(stderr, "error: %s\n", started.error().message().c_str());
      return kExitInvalidConfig;
    }
    endpoint = std::move(started).value();
    bool v6 = address.value().host.find(':') != std::string::npos;
    std::fprintf(stderr, "stampede: live metrics on http://%s%s%s:%u/metrics\n", v6 ? "[" : "",
                 address.value().host.c_str(), v6 ? "]" : "",
                 static_cast<unsigned>(endpoint->port()));
  }
  PrepareFailure failure;
  auto prepared = RunController::prepare(options, &failure);
  if (!prepared.ok()) {
    std::fprintf(stderr, "error: %s\n", prepared.error().message().c_str());
    return failure == PrepareFailure::kScript ? kExitScriptError : kExitInvalidConfig;
  }
  RunController& rc = *prepared.value();
  if (flags.dry_run) {
    std::printf("%s: ok (dry run)\n", flags.script.c_str());
    print_segment_parts(rc.plan());
    if (rc.chaos() != nullptr && rc.chaos()->preflight() != nullptr) {
      std::vector<RbacRule> rbac;
      if (flags.platform.cluster()) {
        RbacOptions rbac_options;
        rbac_options.admin_token_secret = flags.platform.admin_secret_name();
        rbac = rbac_rules(rc.plan().chaos, rbac_options);
      }
      std::fputs(render_dry_run(rc.plan().chaos, *rc.chaos()->preflight(), rbac).c_str(), stdout);
    } else {
      std::printf("no chaos actions; dry run: no load was sent\n");
    }
    return kExitOk;
  }
  if (metrics) {
    std::vector<std::string> names;
    for (const ScenarioPlan& s : rc.plan().scenarios) names.push_back(s.name);
    metrics->declare_scenarios(names);
  }

  bool tty = isatty(STDERR_FILENO) != 0;
  bool color = !flags.no_color && tty && std::getenv("NO_COLOR") == nullptr;
  TerminalProgress progress(tty, flags.quiet, color);
  if (!flags.quiet) {
    const ExecutionTuple& segment = rc.plan().segment;
    const std::string part = segment.segment().is_full()
                                 ? std::string()
                                 : ", execution segment " + segment.segment().to_string() + " of " +
                                       segment.sequence().to_string();
    std::fprintf(stderr, "stampede: %s, %zu scenario(s), %s (+ up to %s graceful stop)%s\n",
                 flags.script.c_str(), rc.plan().scenarios.size(),
                 format_duration(rc.plan().planned_duration()).c_str(),
                 format_duration(rc.plan().max_duration() - rc.plan().planned_duration()).c_str(),
                 part.c_str());
  }
  RunResult result = rc.run(progress);

  int code = exit_code_for(result);
  if (result.outcome == RunOutcome::kSetupFailed) {
    std::fprintf(stderr, "error: %s\n", result.outcome_detail.c_str());
  }
  std::fputs(render_summary_text(result, SummaryStyle{color}).c_str(), stdout);
  std::fputs(render_resilience_text(result.resilience, color).c_str(), stdout);
  std::fflush(stdout);
  if (rc.chaos() != nullptr) {
    for (const std::string& w : rc.chaos()->warnings())
      std::fprintf(stderr, "warning: %s\n", w.c_str());
  }
  if (!flags.out_dir.empty()) {
    Status written = write_run_outputs(result, code, flags.out_dir);
    if (!written.ok()) {
      std::fprintf(stderr, "error: %s\n", written.error().message().c_str());
      if (code == kExitOk) code = kExitInvalidConfig;
    }
  }
  // After the files: a Pushgateway that is slow or down costs at most kPushTimeout and a
  // warning, never an output or the verdict.
  if (push) {
    metrics->finish(result);
    Status pushed = push_to_gateway(*push, metrics->registry(), kPushTimeout);
    if (!pushed.ok()) {
      std::fprintf(stderr, "warning: %s; the run's exit code and outputs are unaffected\n",
                   pushed.error().message().c_str());
    } else if (!flags.quiet) {
      std::fprintf(stderr, "stampede: final metrics pushed to %s\n", push->url().c_str());
    }
  }
  return code;
}

int chaos_revert_command(const PlatformTarget& target) {
  std::string journal = chaos_journal_path(target.state_dir);
  auto pending = read_pending(journal);
  if (!pending.ok()) {
    std::fprintf(stderr, "error: %s\n", pending.error().message().c_str());
    return kExitInvalidConfig;
  }
  if (pending.value().empty()) {
    std::printf("nothing to revert (%s lists no applied fault)\n", journal.c_str());
    return kExitOk;
  }
  auto platform = connect_platform(target);
  if (!platform.ok()) {
    std::fprintf(stderr, "error: %s; %zu fault(s) stay in %s\n", platform.error().message().c_str(),
                 pending.value().size(), journal.c_str());
    return kExitInvalidConfig;
  }
  std::vector<std::string> log;
  Status st = revert_pending(*platform.value(), journal, &log);
  for (const std::string& line : log) std::printf("%s\n", line.c_str());
  if (!st.ok()) {
    std::fprintf(stderr, "error: %s\n", st.error().message().c_str());
    return kExitRevertFailed;
  }
  std::printf("reverted %zu fault(s)\n", pending.value().size());
  return kExitOk;
}

int rbac_command(const RbacFlags& flags) {
  int code = kExitOk;
  auto rc = prepare_or_report(flags.run, &code);
  if (!rc) return code;
  const ChaosPlan& plan = rc->plan().chaos;
  if (!plan.needs_platform()) {
    std::fprintf(stderr, "%s: no chaos actions or platform validations: it needs no RBAC rules\n",
                 flags.run.script.c_str());
    return kExitOk;
  }
  RbacOptions options;
  options.admin_token_secret =
      flags.admin_token_from_env ? "" : flags.run.platform.admin_secret_name();
  std::string ns =
      flags.run.platform.namespace_.empty() ? "default" : flags.run.platform.namespace_;
  std::printf("# The Role %s needs on a cluster (stampede rbac %s).\n", flags.run.script.c_str(),
              flags.run.script.c_str());
  for (const std::string& line : local_only_actions(plan)) {
    std::printf("# not possible on a cluster: %s\n", line.c_str());
  }
  std::fputs(render_role_yaml(rbac_rules(plan, options), flags.role_name, ns).c_str(), stdout);
  return kExitOk;
}

int validate_command(const RunFlags& flags) {
  int code = kExitOk;
  auto rc = prepare_or_report(flags, &code);
  if (!rc) return code;
  const RunPlan& plan = rc->plan();
  std::printf("%s: ok\n", flags.script.c_str());
  print_segment_parts(plan);
  for (const ScenarioPlan& s : plan.scenarios) {
    std::printf("  scenario %s: %s, exec %s, up to %lld VUs, %s\n", s.name.c_str(),
                executor_name(s.executor), s.exec.c_str(), static_cast<long long>(s.peak_vus()),
                format_duration(s.start_time + s.active_duration()).c_str());
  }
  for (const ThresholdPlan& t : plan.thresholds) {
    for (const ThresholdRule& r : t.rules) {
      std::printf("  threshold %s: %s%s\n", t.selector.canonical().c_str(), r.expr.source.c_str(),
                  r.abort_on_fail ? " (abort on fail)" : "");
    }
  }
  for (const ChaosAction& a : plan.chaos.actions) {
    std::printf("  chaos %s: %s on %s at %s\n", a.id.c_str(), action_kind_name(a.kind),
                a.target.c_str(), format_duration(a.at).c_str());
  }
  for (const Expectation& e : plan.chaos.expectations) {
    std::printf("  expect %s\n", e.name.c_str());
  }
  return kExitOk;
}

int version_command() {
  std::printf("stampede 0.1.0\n");
  return kExitOk;
}

}  // namespace stampede
