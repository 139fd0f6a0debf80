// The local runtime's subcommands (`up`, `ps`, `down`): their flags, and the dispatch to
// targets/local/cli. main() registers them and calls run_local_command() after parsing.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>

namespace stampede {

// Adds `up`, `ps` and `down` to the app. The returned object must outlive parsing.
struct LocalCommands;
LocalCommands* add_local_commands(CLI::App& app);
// The exit code of the local command that was parsed, or nullopt when none was.
std::optional<int> run_local_command(LocalCommands* commands);

}  // namespace stampede
