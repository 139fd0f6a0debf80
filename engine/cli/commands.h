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
  bool quiet = false;
  bool no_color = false;
  std::string state_dir = ".stampede";  // the local runtime's (runtime.json, chaos journal)
  bool dry_run = false;                 // run: check everything, print the chaos plan, send nothing
};

int run_command(const RunFlags& flags);
int validate_command(const RunFlags& flags);
int version_command();
// `stampede chaos revert`: undoes the faults the chaos journal of `state_dir` still lists.
int chaos_revert_command(const std::string& state_dir);

}  // namespace stampede
