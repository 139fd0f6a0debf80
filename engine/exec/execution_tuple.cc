#include "engine/exec/execution_tuple.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

namespace stampede {
namespace {

std::shared_ptr<const SegmentStriping> whole_striping() {
  static const std::shared_ptr<const SegmentStriping> whole = std::make_shared<SegmentStriping>(
      SegmentStriping::make(filled_sequence(ExecutionSegmentSequence(), ExecutionSegment()))
          .value());
  return whole;
}

}  // namespace

Result<SegmentStriping> SegmentStriping::make(const ExecutionSegmentSequence& full) {
  if (!full.is_full()) {
    return Error("the sequence " + full.to_string() + " does not cover 0 to 1");
  }
  const size_t n = full.size();
  int64_t lcd = 1;
  for (const ExecutionSegment& s : full.segments()) {
    Result<int64_t> l = lcm_int64(lcd, s.length().den());
    if (!l.ok() || l.value() > kMaxStripingLcd) {
      return Error("the segment lengths of " + full.to_string() +
                   " have a common denominator above " + std::to_string(kMaxStripingLcd) +
                   " (use fractions with smaller denominators)");
    }
    lcd = l.value();
  }
  if (lcd * static_cast<int64_t>(n) > kMaxStripingWork) {
    return Error("the sequence " + full.to_string() + " has " + std::to_string(n) +
                 " segments over a common denominator of " + std::to_string(lcd) +
                 ", more than stampede stripes (" + std::to_string(kMaxStripingWork) +
                 " for both multiplied)");
  }
  // Each segment's share of a block of lcd items; they add up to lcd for a full sequence.
  std::vector<int64_t> share(n);
  for (size_t i = 0; i < n; ++i) {
    share[i] = full[i].length().num() * (lcd / full[i].length().den());
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return share[a] > share[b]; });

  SegmentStriping out;
  out.sequence_ = full;
  out.lcd_ = lcd;
  out.positions_.resize(n);
  for (size_t i = 0; i < n; ++i) out.positions_[i].reserve(static_cast<size_t>(share[i]));
  std::vector<int64_t> taken(n, 0);
  for (int64_t item = 0; item < lcd; ++item) {
    for (size_t rank = 0; rank < n; ++rank) {
      const size_t seg = order[rank];
      // Due when item >= taken·lcd/share (exact: compare item·share with taken·lcd; both are
      // below lcd² <= 10^14).
      if (taken[seg] < share[seg] && item * share[seg] >= taken[seg] * lcd) {
        ++taken[seg];
        out.positions_[seg].push_back(static_cast<int32_t>(item));
        break;
      }
    }
  }
  return out;
}

int64_t SegmentStriping::start(size_t index) const {
  return positions_[index].front();
}

std::vector<int64_t> SegmentStriping::offsets(size_t index) const {
  const std::vector<int32_t>& p = positions_[index];
  std::vector<int64_t> out;
  for (size_t i = 1; i < p.size(); ++i) out.push_back(p[i] - p[i - 1]);
  out.push_back(p.front() + lcd_ - p.back());
  return out;
}

ExecutionTuple::ExecutionTuple() : striping_(whole_striping()) {}

Result<ExecutionTuple> ExecutionTuple::make(const ExecutionSegment& segment,
                                            const ExecutionSegmentSequence& sequence) {
  const ExecutionSegmentSequence full = filled_sequence(sequence, segment);
  const int index = full.find(segment);
  if (index < 0) {
    return Error("segment " + segment.to_string() + " is not in the sequence " + full.to_string());
  }
  ExecutionTuple t;
  if (full.size() > 1) {
    Result<SegmentStriping> striping = SegmentStriping::make(full);
    if (!striping.ok()) return striping.error();
    t.striping_ = std::make_shared<SegmentStriping>(std::move(striping).value());
  }
  t.index_ = static_cast<size_t>(index);
  return t;
}

const ExecutionSegment& ExecutionTuple::segment() const {
  return sequence()[index_];
}

int64_t ExecutionTuple::scale(int64_t total) const {
  if (total <= 0) return 0;
  const std::vector<int32_t>& p = striping_->positions(index_);
  const int64_t lcd = striping_->lcd();
  const int64_t below = std::lower_bound(p.begin(), p.end(), total % lcd) - p.begin();
  return total / lcd * static_cast<int64_t>(p.size()) + below;
}

bool ExecutionTuple::owns(int64_t k) const {
  if (k < 0) return false;
  const std::vector<int32_t>& p = striping_->positions(index_);
  return std::binary_search(p.begin(), p.end(), k % striping_->lcd());
}

int64_t ExecutionTuple::global_index(int64_t j) const {
  if (j < 0) return 0;
  const std::vector<int32_t>& p = striping_->positions(index_);
  const int64_t count = static_cast<int64_t>(p.size());
  return j / count * striping_->lcd() + p[static_cast<size_t>(j % count)];
}

Result<ExecutionTuple> ExecutionTuple::rescaled(int64_t value) const {
  if (value < 1) return Error("cannot split " + std::to_string(value) + " between segments");
  if (value % striping_->lcd() == 0) return *this;  // the same shares: the same striping
  std::vector<ExecutionSegment> parts;
  int new_index = -1;
  int64_t prev = 0;
  const ExecutionSegmentSequence& seq = sequence();
  for (size_t i = 0; i < seq.size(); ++i) {
    ExecutionTuple other = *this;
    other.index_ = i;
    const int64_t part = other.scale(value);
    if (part == 0) continue;
    Result<Rational> from = Rational::make(prev, value);
    Result<Rational> to = Rational::make(prev + part, value);
    if (!from.ok()) return from.error();
    if (!to.ok()) return to.error();
    Result<ExecutionSegment> s = ExecutionSegment::make(from.value(), to.value());
    if (!s.ok()) return s.error();
    if (i == index_) new_index = static_cast<int>(parts.size());
    parts.push_back(s.value());
    prev += part;
  }
  if (new_index < 0) {
    return Error("segment " + segment().to_string() + " gets none of " + std::to_string(value));
  }
  Result<ExecutionSegmentSequence> next = ExecutionSegmentSequence::make(std::move(parts));
  if (!next.ok()) return next.error();
  Result<ExecutionTuple> t = make(next.value()[static_cast<size_t>(new_index)], next.value());
  return t;
}

}  // namespace stampede
