#include "engine/fleet/merge_checks.h"

#include "engine/exec/execution_segment.h"
#include "engine/fleet/run_header.h"

namespace stampede {
namespace {

// Which part of the options differs between two headers (their options hashes differ).
std::string options_difference(const fleet::RunHeader& a, const fleet::RunHeader& b) {
  auto bytes = [](auto setter) {
    fleet::RunHeader h;
    setter(h);
    return h.SerializeAsString();
  };
  std::vector<std::string> parts;
  if (bytes([&](fleet::RunHeader& h) { *h.mutable_scenarios() = a.scenarios(); }) !=
      bytes([&](fleet::RunHeader& h) { *h.mutable_scenarios() = b.scenarios(); })) {
    parts.push_back("scenarios");
  }
  if (bytes([&](fleet::RunHeader& h) { *h.mutable_thresholds() = a.thresholds(); }) !=
      bytes([&](fleet::RunHeader& h) { *h.mutable_thresholds() = b.thresholds(); })) {
    parts.push_back("thresholds");
  }
  if (bytes([&](fleet::RunHeader& h) { *h.mutable_tags() = a.tags(); }) !=
      bytes([&](fleet::RunHeader& h) { *h.mutable_tags() = b.tags(); })) {
    parts.push_back("tags");
  }
  if (a.max_series() != b.max_series()) parts.push_back("max_series");
  if (parts.empty()) return "options hash " + a.options_hash() + " vs " + b.options_hash();
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out + " differ";
}

}  // namespace

Status check_same_test(const std::vector<MergeSource>& inputs) {
  for (size_t i = 1; i < inputs.size(); ++i) {
    const fleet::RunHeader& a = inputs[0].log.header;
    const fleet::RunHeader& b = inputs[i].log.header;
    const std::string pair = inputs[0].dir + " and " + inputs[i].dir;
    if (a.script_hash() != b.script_hash()) {
      return Error(pair + " ran different scripts (" + a.script_path() + " hash " +
                   a.script_hash() + ", " + b.script_path() + " hash " + b.script_hash() + ")");
    }
    if (a.options_hash() != b.options_hash()) {
      return Error(pair + " ran with different options (" + options_difference(a, b) + ")");
    }
    if (a.metrics_size() != b.metrics_size()) {
      return Error(pair + " registered different metrics (" + std::to_string(a.metrics_size()) +
                   " vs " + std::to_string(b.metrics_size()) + ")");
    }
    for (int m = 0; m < a.metrics_size(); ++m) {
      if (a.metrics(m).SerializeAsString() != b.metrics(m).SerializeAsString()) {
        return Error(pair + " registered different metrics ('" + a.metrics(m).name() + "' vs '" +
                     b.metrics(m).name() + "')");
      }
    }
  }
  return Status::Ok();
}

Result<SegmentCoverage> check_segments(const std::vector<MergeSource>& inputs) {
  SegmentCoverage out;
  std::vector<ExecutionSegment> segments;
  std::string first_sequence;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const fleet::RunHeader& h = inputs[i].log.header;
    auto segment = parse_execution_segment(h.execution_segment());
    if (!segment.ok()) return segment.error().with_context(inputs[i].dir + ": execution segment");
    auto sequence = parse_execution_segment_sequence(h.execution_segment_sequence());
    if (!sequence.ok()) {
      return sequence.error().with_context(inputs[i].dir + ": execution segment sequence");
    }
    std::string filled = filled_sequence(sequence.value(), segment.value()).to_string();
    if (i == 0) {
      first_sequence = filled;
    } else if (filled != first_sequence) {
      return Error(inputs[0].dir + " and " + inputs[i].dir +
                   " were not split by one segment sequence (" + first_sequence + " vs " + filled +
                   "): run every part with the same --execution-segment-sequence");
    }
    segments.push_back(segment.value());
    out.segments.push_back(segment.value().to_string());
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    for (size_t j = i + 1; j < segments.size(); ++j) {
      const ExecutionSegment& a = segments[i];
      const ExecutionSegment& b = segments[j];
      if (a.from() < b.to() && b.from() < a.to()) {
        return Error(inputs[i].dir + " (" + a.to_string() + ") and " + inputs[j].dir + " (" +
                     b.to_string() + ") overlap: each part of the test must be merged once");
      }
    }
  }
  out.sequence = first_sequence;
  Rational covered(1);
  for (const ExecutionSegment& gap : uncovered_segments(segments)) {
    out.missing.push_back(gap.to_string());
    auto less = covered.sub(gap.length());
    if (less.ok()) covered = less.value();
  }
  out.covered = covered.to_string();
  return out;
}

Result<int> find_chaos_input(const std::vector<MergeSource>& inputs) {
  int found = -1;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& footer = inputs[i].log.footer;
    if (!footer || footer->resilience().chaos_events_size() == 0) continue;
    if (found >= 0) {
      return Error(inputs[found].dir + " and " + inputs[i].dir +
                   " both ran chaos actions: with segments only one part may run the chaos "
                   "timeline");
    }
    found = static_cast<int>(i);
  }
  return found;
}

}  // namespace stampede
