#include "engine/exec/execution_segment.h"

#include <algorithm>
#include <utility>

namespace stampede {
namespace {

const Rational kZero{0};
const Rational kOne{1};

bool by_start(const ExecutionSegment& a, const ExecutionSegment& b) {
  if (a.from() != b.from()) return a.from() < b.from();
  return a.to() < b.to();
}

// Only for bounds already known to be valid (0 <= from < to <= 1).
ExecutionSegment unchecked(const Rational& from, const Rational& to) {
  return ExecutionSegment::make(from, to).value();
}

}  // namespace

Result<ExecutionSegment> ExecutionSegment::make(const Rational& from, const Rational& to) {
  if (from < kZero) {
    return Error("segment start value must be at least 0 but was " + from.to_string());
  }
  if (from >= to) {
    return Error("segment start(" + from.to_string() + ") must be less than its end(" +
                 to.to_string() + ")");
  }
  if (to > kOne) {
    return Error("segment end value can't be more than 1 but was " + to.to_string());
  }
  Result<Rational> length = to.sub(from);
  if (!length.ok()) {
    return length.error().with_context("segment " + from.to_string() + ":" + to.to_string());
  }
  ExecutionSegment s;
  s.from_ = from;
  s.to_ = to;
  s.length_ = length.value();
  return s;
}

bool ExecutionSegment::is_full() const {
  return from_ == kZero && to_ == kOne;
}

Result<ExecutionSegment> ExecutionSegment::sub_segment(const ExecutionSegment& child) const {
  const Rational& len = length_;
  Result<Rational> off = len.mul(child.from());
  if (!off.ok()) return off.error();
  Result<Rational> from = from_.add(off.value());
  if (!from.ok()) return from.error();
  Result<Rational> sub_len = len.mul(child.length());
  if (!sub_len.ok()) return sub_len.error();
  Result<Rational> to = from.value().add(sub_len.value());
  if (!to.ok()) return to.error();
  return make(from.value(), to.value());
}

std::string ExecutionSegment::to_string() const {
  return from_.to_string() + ":" + to_.to_string();
}

Result<ExecutionSegment> parse_execution_segment(std::string_view text) {
  if (text.empty()) return ExecutionSegment();
  Rational from;
  std::string_view to_text = text;
  const size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    Result<Rational> f = parse_rational(text.substr(0, colon));
    if (!f.ok()) return f.error();
    from = f.value();
    to_text = text.substr(colon + 1);
  }
  Result<Rational> to = parse_rational(to_text);
  if (!to.ok()) return to.error();
  return ExecutionSegment::make(from, to.value());
}

Result<ExecutionSegmentSequence> ExecutionSegmentSequence::make(
    std::vector<ExecutionSegment> segments) {
  for (size_t i = 1; i < segments.size(); ++i) {
    if (segments[i].from() != segments[i - 1].to()) {
      return Error("the start value " + segments[i].from().to_string() + " of segment #" +
                   std::to_string(i) + " must be equal to the end value of the previous one, " +
                   "but it is " + segments[i - 1].to().to_string());
    }
  }
  ExecutionSegmentSequence seq;
  seq.segments_ = std::move(segments);
  return seq;
}

bool ExecutionSegmentSequence::is_full() const {
  return !segments_.empty() && segments_.front().from() == kZero && segments_.back().to() == kOne;
}

int ExecutionSegmentSequence::find(const ExecutionSegment& segment) const {
  for (size_t i = 0; i < segments_.size(); ++i) {
    if (segments_[i] == segment) return static_cast<int>(i);
  }
  return -1;
}

std::string ExecutionSegmentSequence::to_string() const {
  std::string out;
  for (size_t i = 0; i < segments_.size(); ++i) {
    if (i == 0) out = segments_[i].from().to_string();
    out += "," + segments_[i].to().to_string();
  }
  return out;
}

Result<ExecutionSegmentSequence> parse_execution_segment_sequence(std::string_view text) {
  if (text.empty()) return ExecutionSegmentSequence();
  std::vector<Rational> points;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    Result<Rational> r = parse_rational(item);
    if (!r.ok()) return r.error();
    points.push_back(r.value());
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (points.size() < 2) {
    return Error("at least 2 points are needed for an execution segment sequence, " +
                 std::to_string(points.size()) + " given");
  }
  std::vector<ExecutionSegment> segments;
  for (size_t i = 1; i < points.size(); ++i) {
    Result<ExecutionSegment> s = ExecutionSegment::make(points[i - 1], points[i]);
    if (!s.ok()) return s.error();
    segments.push_back(s.value());
  }
  return ExecutionSegmentSequence::make(std::move(segments));
}

ExecutionSegmentSequence filled_sequence(const ExecutionSegmentSequence& sequence,
                                         const ExecutionSegment& segment) {
  std::vector<ExecutionSegment> out =
      sequence.empty() ? std::vector<ExecutionSegment>{segment} : sequence.segments();
  if (out.front().from() != kZero) out.insert(out.begin(), unchecked(kZero, out.front().from()));
  if (out.back().to() != kOne) out.push_back(unchecked(out.back().to(), kOne));
  return ExecutionSegmentSequence::make(std::move(out)).value();
}

Status check_disjoint(std::vector<ExecutionSegment> segments) {
  std::sort(segments.begin(), segments.end(), by_start);
  for (size_t i = 1; i < segments.size(); ++i) {
    if (segments[i].from() < segments[i - 1].to()) {
      return Error("segments " + segments[i - 1].to_string() + " and " + segments[i].to_string() +
                   " overlap");
    }
  }
  return Status::Ok();
}

std::vector<ExecutionSegment> uncovered_segments(std::vector<ExecutionSegment> segments) {
  std::sort(segments.begin(), segments.end(), by_start);
  std::vector<ExecutionSegment> gaps;
  Rational covered = kZero;  // everything in [0, covered] is covered
  for (const ExecutionSegment& s : segments) {
    if (s.from() > covered) gaps.push_back(unchecked(covered, s.from()));
    if (s.to() > covered) covered = s.to();
  }
  if (covered < kOne) gaps.push_back(unchecked(covered, kOne));
  return gaps;
}

}  // namespace stampede
