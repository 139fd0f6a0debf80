// k6 execution segments and sequences (`--execution-segment`, `--execution-segment-sequence`):
// parsing, validation and set checks. The striping that turns a segment into "which items are
// mine" is in engine/exec/execution_tuple.h.
//
// An ExecutionSegment is the part (from, to] of a test's work, 0 <= from < to <= 1, with exact
// rational bounds. Text forms, as k6 (lib/execution_segment.go, NewExecutionSegmentFromString):
//   "a:b"  a full segment, each side any number parse_rational accepts: "1/3:2/3", "0.5:0.75",
//          "50%:75%", "2/4:75%" (all but the first are also (1/2, 3/4])
//   "b"    shorthand for "0:b" ("20%", "0.2", "1/5")
//   ""     the whole test, "0:1"
// to_string prints k6's canonical form "1/3:2/3" ("0:1" for the whole test).
//
// An ExecutionSegmentSequence is the comma-separated list of points "r1,r2,...,rn" (n >= 2) for
// the adjacent segments (r1,r2], (r2,r3], ... Each pair must be a valid segment, so points rise
// strictly within [0, 1]. A sequence need not start at 0 or end at 1: like k6, stampede fills the
// gaps (filled_sequence) before striping. The empty text is "no sequence".
//
// Value types; pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/exec/rational.h"

namespace stampede {

class ExecutionSegment {
 public:
  ExecutionSegment() : to_(1), length_(1) {}  // the whole test, 0:1
  // Errors (k6's wording): from < 0, from >= to, to > 1; also bounds so fine that to - from does
  // not fit a 64-bit fraction.
  static Result<ExecutionSegment> make(const Rational& from, const Rational& to);

  const Rational& from() const { return from_; }
  const Rational& to() const { return to_; }
  const Rational& length() const { return length_; }  // to - from
  bool is_full() const;                               // 0:1

  // k6's SubSegment: the part `child` of this segment, e.g. 1/2:1 of 0:1/2 is 1/4:1/2.
  // Errors only on rational overflow.
  Result<ExecutionSegment> sub_segment(const ExecutionSegment& child) const;

  std::string to_string() const;  // "1/3:2/3"
  bool operator==(const ExecutionSegment& o) const { return from_ == o.from_ && to_ == o.to_; }
  bool operator!=(const ExecutionSegment& o) const { return !(*this == o); }

 private:
  Rational from_;
  Rational to_;
  Rational length_;
};

// Parses the text forms above. Errors name the text or the broken bound, e.g.
// "segment start(1/3) must be less than its end(1/4)".
Result<ExecutionSegment> parse_execution_segment(std::string_view text);

class ExecutionSegmentSequence {
 public:
  ExecutionSegmentSequence() = default;  // empty: no sequence given
  // Errors if a segment does not start where the previous one ends.
  static Result<ExecutionSegmentSequence> make(std::vector<ExecutionSegment> segments);

  bool empty() const { return segments_.empty(); }
  size_t size() const { return segments_.size(); }
  const std::vector<ExecutionSegment>& segments() const { return segments_; }
  const ExecutionSegment& operator[](size_t i) const { return segments_[i]; }
  // Starts at 0 and ends at 1 (and is not empty).
  bool is_full() const;
  // The position of `segment` in the sequence, or -1.
  int find(const ExecutionSegment& segment) const;

  std::string to_string() const;  // "0,1/3,2/3,1"; "" when empty
  bool operator==(const ExecutionSegmentSequence& o) const { return segments_ == o.segments_; }

 private:
  std::vector<ExecutionSegment> segments_;
};

// Parses "r1,r2,...,rn". Errors: fewer than 2 points, a bad number, or a pair that is not a valid
// segment ("0,1,1/2": "segment start(1) must be less than its end(1/2)"). "" is the empty sequence.
Result<ExecutionSegmentSequence> parse_execution_segment_sequence(std::string_view text);

// k6's GetFilledExecutionSegmentSequence: the full sequence stampede stripes over.
//   - no sequence and `segment` is 0:1 → "0,1"
//   - no sequence → `segment` with the gaps before and after it filled: 1/3:1/2 → 0,1/3,1/2,1
//   - a sequence → that sequence with a first segment 0:r1 and a last rn:1 added where missing.
ExecutionSegmentSequence filled_sequence(const ExecutionSegmentSequence& sequence,
                                         const ExecutionSegment& segment);

// Set checks over segments in any order (e.g. the inputs of `stampede merge`).
// check_disjoint: OK when no two segments overlap (touching ends are fine); otherwise an error
// naming the first overlapping pair by start: "segments 0:1/2 and 1/3:2/3 overlap".
Status check_disjoint(std::vector<ExecutionSegment> segments);
// The parts of 0:1 that no segment covers, in order; empty when the segments cover all of 0:1.
// Overlaps do not matter here (check them with check_disjoint).
std::vector<ExecutionSegment> uncovered_segments(std::vector<ExecutionSegment> segments);

}  // namespace stampede
