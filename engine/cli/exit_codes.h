// stampede's exit codes (k6-compatible where the meaning matches). Only main() returns them.
#pragma once

namespace stampede {

enum ExitCode : int {
  kExitOk = 0,
  kExitThresholdsFailed = 99,  // thresholds (later: validations) failed
  kExitInvalidConfig = 104,    // bad flags, options or input files
  kExitInterrupted = 105,      // SIGINT/SIGTERM: stopped early, results written
  kExitScriptError = 107,      // the script failed to load, or setup() threw
  kExitAborted = 108,          // an abort_on_fail threshold stopped the run
};

}  // namespace stampede
