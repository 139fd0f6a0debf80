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
};

int run_command(const RunFlags& flags);
int validate_command(const RunFlags& flags);
int version_command();

}  // namespace stampede
