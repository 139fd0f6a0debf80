#include "engine/lua/segment_options_reader.h"

#include <string>

namespace stampede {

Result<ExecutionTuple> read_execution_segment(TableReader& options, const SegmentFlags& flags) {
  Result<std::optional<std::string>> seg_text = options.string("execution_segment");
  if (!seg_text.ok()) return seg_text.error();
  Result<std::optional<std::string>> seq_text = options.string("execution_segment_sequence");
  if (!seq_text.ok()) return seq_text.error();

  ExecutionSegment segment;
  std::string seg_source = "--execution-segment";
  if (flags.segment) {
    segment = *flags.segment;
  } else if (seg_text.value()) {
    seg_source = options.at("execution_segment");
    Result<ExecutionSegment> s = parse_execution_segment(*seg_text.value());
    if (!s.ok()) return s.error().with_context(seg_source);
    segment = s.value();
  }
  ExecutionSegmentSequence sequence;
  std::string seq_source = "--execution-segment-sequence";
  if (flags.sequence) {
    sequence = *flags.sequence;
  } else if (seq_text.value()) {
    seq_source = options.at("execution_segment_sequence");
    Result<ExecutionSegmentSequence> s = parse_execution_segment_sequence(*seq_text.value());
    if (!s.ok()) return s.error().with_context(seq_source);
    sequence = s.value();
  }

  Result<ExecutionTuple> tuple = ExecutionTuple::make(segment, sequence);
  if (tuple.ok()) return tuple;
  const ExecutionSegmentSequence full = filled_sequence(sequence, segment);
  if (full.find(segment) >= 0) {  // the striping's limits
    return tuple.error().with_context(sequence.empty() ? seg_source : seq_source);
  }
  std::string list;
  for (const ExecutionSegment& s : full.segments()) {
    list += (list.empty() ? "" : ", ") + s.to_string();
  }
  return Error(seg_source + " " + segment.to_string() + " is not one of the segments of " +
               seq_source + " " + sequence.to_string() + " (" + list + ")");
}

}  // namespace stampede
