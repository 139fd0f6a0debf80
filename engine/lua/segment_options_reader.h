// Resolves the run's execution segment (docs/distributed.md) from the CLI flags
// --execution-segment / --execution-segment-sequence and the script's
// options.execution_segment / options.execution_segment_sequence (k6's executionSegment and
// executionSegmentSequence); a flag wins over the option of the same name. Called by
// read_run_plan with the options table on top of the stack. Main thread only.
#pragma once

#include <optional>

#include "common/result.h"
#include "engine/exec/execution_segment.h"
#include "engine/exec/execution_tuple.h"
#include "engine/lua/table_reader.h"

namespace stampede {

// The flags, already parsed by main() (which names the flag in a parse error).
struct SegmentFlags {
  std::optional<ExecutionSegment> segment;
  std::optional<ExecutionSegmentSequence> sequence;
};

// Errors name where the value came from: "options.execution_segment: 'x' is not a valid ...",
// "--execution-segment 1/3:1/2 is not one of the segments of --execution-segment-sequence
// 0,1/3,2/3,1 (0:1/3, 1/3:2/3, 2/3:1)".
Result<ExecutionTuple> read_execution_segment(TableReader& options, const SegmentFlags& flags);

}  // namespace stampede
