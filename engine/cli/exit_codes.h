// stampede's exit codes (k6-compatible where the meaning matches). Only main() returns them.
#pragma once

namespace stampede {

enum ExitCode : int {
  kExitOk = 0,
  kExitRevertFailed = 1,       // `stampede chaos revert`: some faults could not be undone
  kExitThresholdsFailed = 99,  // thresholds or validations failed
  kExitInvalidConfig = 104,    // bad flags, options or input files
  kExitInterrupted = 105,      // SIGINT/SIGTERM: stopped early, results written
  kExitScriptError = 107,      // the script failed to load, or setup() threw
  kExitAborted = 108,          // an abort_on_fail threshold stopped the run
};

}  // namespace stampede
