#include "engine/cli/local_commands.h"

#include <memory>

#include "targets/local/cli/commands.h"

namespace stampede {

struct LocalCommands {
  local::UpFlags up;
  local::PsFlags ps;
  local::DownFlags down;
  CLI::App* up_cmd = nullptr;
  CLI::App* ps_cmd = nullptr;
  CLI::App* down_cmd = nullptr;
};

LocalCommands* add_local_commands(CLI::App& app) {
  static auto commands = std::make_unique<LocalCommands>();
  LocalCommands* c = commands.get();
  c->up_cmd = app.add_subcommand("up",
                                 "run the reference shop from the chart's values on this "
                                 "machine (the local runtime)");
  c->up_cmd->add_option("--values,-f", c->up.values_files,
                        "values file overlaid on the chart's (repeatable)");
  c->up_cmd->add_option("--set", c->up.sets, "key=value overrides, helm syntax (repeatable)");
  c->up_cmd->add_option("--state-dir", c->up.state_dir, "state folder (default ./.stampede)");
  c->up_cmd->add_option("--chart-values", c->up.chart_values,
                        "the chart's values.yaml (default: charts/shop-reference/values.yaml)");
  c->up_cmd->add_flag("--detach,-d", c->up.detach,
                      "run in the background; return once everything is Ready, print the URL");
  c->up_cmd
      ->add_option("--timeout", c->up.ready_timeout_seconds,
                   "with --detach: seconds to wait for Ready (default 120)")
      ->check(CLI::Range(1.0, 3600.0));
  c->ps_cmd = app.add_subcommand("ps", "deployments and pods of the running `stampede up`");
  c->ps_cmd->add_option("--state-dir", c->ps.state_dir, "state folder (default ./.stampede)");
  c->ps_cmd->add_flag("--json", c->ps.json, "print JSON");
  c->down_cmd = app.add_subcommand("down", "stop everything `stampede up` started");
  c->down_cmd->add_option("--state-dir", c->down.state_dir, "state folder (default ./.stampede)");
  c->down_cmd
      ->add_option("--timeout", c->down.timeout_seconds,
                   "seconds to wait before killing (default 120)")
      ->check(CLI::Range(1.0, 3600.0));
  return c;
}

std::optional<int> run_local_command(LocalCommands* c) {
  if (c->up_cmd->parsed()) return local::up_main(c->up);
  if (c->ps_cmd->parsed()) return local::ps_main(c->ps);
  if (c->down_cmd->parsed()) return local::down_main(c->down);
  return std::nullopt;
}

}  // namespace stampede
