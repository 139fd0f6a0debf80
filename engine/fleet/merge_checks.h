// The checks `stampede merge` makes before it adds runs up: same script and options, segments of
// one sequence that do not overlap, at most one run with chaos; and how much of the test the
// inputs cover. Pure functions; errors name the input folders and what differs.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "engine/fleet/interval_log.h"

namespace stampede {

// One input to merge: its folder (for messages) and its log.
struct MergeSource {
  std::string dir;
  IntervalLog log;
};

// Same script bytes and options hash in every header. Error: "DIR_A and DIR_B ran different
// scripts (...)" or "... different options (thresholds differ)".
Status check_same_test(const std::vector<MergeSource>& inputs);

struct SegmentCoverage {
  std::vector<std::string> segments;  // per input, canonical ("0:1/3")
  std::string sequence;               // the filled sequence every input striped over
  std::string covered;                // the covered share of the test, exactly ("2/3")
  std::vector<std::string> missing;   // uncovered parts of 0:1
};

// Every input's segment parses, all inputs striped over one sequence (the filled sequence of
// each header's sequence and segment is the same), and no two segments overlap. Errors name the
// folders: "DIR_A (0:1/2) and DIR_B (1/3:2/3) overlap".
Result<SegmentCoverage> check_segments(const std::vector<MergeSource>& inputs);

// The index of the one input whose footer records chaos events, -1 when none does. Error when
// more than one does, naming them.
Result<int> find_chaos_input(const std::vector<MergeSource>& inputs);

}  // namespace stampede
