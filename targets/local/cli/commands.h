// `stampede up`, `ps` and `down`: the local runtime's commands. Each returns an exit code:
// 0 ok, 104 bad values or flags, 1 a runtime failure (docs/local-runtime.md).
#pragma once

#include <string>
#include <vector>

namespace stampede::local {

inline constexpr int kUpExitOk = 0;
inline constexpr int kUpExitFailure = 1;
inline constexpr int kUpExitBadValues = 104;

struct UpFlags {
  std::vector<std::string> values_files;  // --values
  std::vector<std::string> sets;          // --set
  std::string state_dir;                  // --state-dir ("" = ./.stampede)
  std::string chart_values;               // --chart-values ("" = found, see values_loader.h)
  bool detach = false;                    // --detach
  double ready_timeout_seconds = 120;     // --timeout (with --detach)
};

struct PsFlags {
  std::string state_dir;
  bool json = false;
};

struct DownFlags {
  std::string state_dir;
  double timeout_seconds = 120;
};

// Runs the shop from the chart's values until SIGINT/SIGTERM or `stampede down`; with --detach
// starts it in the background and returns once everything is Ready, printing the frontend URL.
int up_main(const UpFlags& flags);
int ps_main(const PsFlags& flags);
int down_main(const DownFlags& flags);

}  // namespace stampede::local
