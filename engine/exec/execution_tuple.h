// k6's striping of work between the segments of a sequence (lib/execution_segment.go:
// ExecutionSegmentSequenceWrapper, ExecutionTuple), so that separate stampede processes, each
// knowing only its own segment and the sequence, take disjoint parts that add up to the test.
//
// SegmentStriping stripes the items 0, 1, 2, ... of a full sequence (0 ... 1). Every block of
// LCD consecutive items (LCD: the least common denominator of the segment lengths) is dealt the
// same way: segment i takes length_i·LCD of them, spread as evenly as possible. k6's deal: walk
// the items of a block in order; give each to the first segment, in order of decreasing length
// (ties: sequence order), that is due one, i.e. whose taken count c satisfies i >= c·LCD/len_num
// (len_num = length·LCD). For 0,1/2,3/4,1 that is 0 1 0 2 | 0 1 0 2 | ... (segment per item).
//
// ExecutionTuple is one segment of a striped sequence — "this instance":
//   scale(N)         items below N it owns: k6's ExecutionTuple.ScaleInt64. For a fixed N the
//                    scales of all segments of the sequence add up to N, and scale(N) never
//                    decreases as N grows, so counts that change over time (ramping VUs, arrivals
//                    so far) add up at every moment, not only in total.
//   owns(k)          whether global item k is this segment's
//   global_index(j)  the global item of its j-th own item (both 0-based); j < scale(N) gives
//                    items < N. VU ids and iteration numbers use it so they stay unique across
//                    instances (k6's exec.vu.idInTest, exec.scenario.iterationInTest).
//   rescaled(V)      k6's GetNewExecutionTupleFromValue: re-stripes the sequence so each segment's
//                    length is its share of V (scale_i(V)/V), dropping segments with none. k6
//                    deals shared iterations by VUs (V = vus) and arrivals by max VUs, so an
//                    instance never gets work without VUs for it; stampede does the same.
// The default tuple is the whole test (0:1 of "0,1"): scale(N) = N, global_index(j) = j.
//
// Limits: the LCD of a sequence is at most kMaxStripingLcd (the striping keeps one entry per item
// of a block), and LCD × segments at most kMaxStripingWork (the deal's cost); make() reports
// more as an error.
//
// Value types (a tuple shares its immutable striping); thread-safe for reads.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/result.h"
#include "engine/exec/execution_segment.h"

namespace stampede {

constexpr int64_t kMaxStripingLcd = 10'000'000;
constexpr int64_t kMaxStripingWork = 200'000'000;

class SegmentStriping {
 public:
  // `full` must start at 0 and end at 1 (see filled_sequence). Errors: not full, or the limits
  // above.
  static Result<SegmentStriping> make(const ExecutionSegmentSequence& full);

  const ExecutionSegmentSequence& sequence() const { return sequence_; }
  int64_t lcd() const { return lcd_; }
  // The positions in [0, lcd) segment `index` takes in every block, ascending.
  const std::vector<int32_t>& positions(size_t index) const { return positions_[index]; }
  // k6's GetStripedOffsets: the first position, then the gaps from each position to the next
  // (the last gap wraps into the next block).
  int64_t start(size_t index) const;
  std::vector<int64_t> offsets(size_t index) const;

 private:
  ExecutionSegmentSequence sequence_;
  int64_t lcd_ = 1;
  std::vector<std::vector<int32_t>> positions_;
};

class ExecutionTuple {
 public:
  ExecutionTuple();  // the whole test
  // `segment` within `sequence` (empty: no sequence; both are filled as k6 fills them).
  // Errors: the segment is not one of the filled sequence's segments ("segment 1/3:1/2 is not in
  // the sequence 0,1/3,2/3,1"), or the striping's limits.
  static Result<ExecutionTuple> make(const ExecutionSegment& segment,
                                     const ExecutionSegmentSequence& sequence);

  const ExecutionSegment& segment() const;
  const ExecutionSegmentSequence& sequence() const { return striping_->sequence(); }  // filled
  size_t index() const { return index_; }
  int64_t lcd() const { return striping_->lcd(); }
  const SegmentStriping& striping() const { return *striping_; }

  int64_t scale(int64_t total) const;     // total < 0 counts as 0
  bool owns(int64_t k) const;             // k < 0: false
  int64_t global_index(int64_t j) const;  // j >= 0

  // Errors: value < 1, or this segment gets none of `value` (it has no part in the work).
  Result<ExecutionTuple> rescaled(int64_t value) const;

 private:
  std::shared_ptr<const SegmentStriping> striping_;
  size_t index_ = 0;
};

}  // namespace stampede
