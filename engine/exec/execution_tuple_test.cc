#include "engine/exec/execution_tuple.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace stampede {
namespace {

ExecutionTuple tuple(const std::string& segment, const std::string& sequence) {
  Result<ExecutionSegment> s = parse_execution_segment(segment);
  Result<ExecutionSegmentSequence> q = parse_execution_segment_sequence(sequence);
  EXPECT_TRUE(s.ok() && q.ok()) << segment << " in " << sequence;
  Result<ExecutionTuple> t = ExecutionTuple::make(s.value(), q.value());
  EXPECT_TRUE(t.ok()) << segment << " in " << sequence << ": " << t.error().message();
  return t.ok() ? t.value() : ExecutionTuple();
}

// Every segment of `sequence` as a tuple.
std::vector<ExecutionTuple> all_tuples(const std::string& sequence) {
  const ExecutionSegmentSequence q = parse_execution_segment_sequence(sequence).value();
  std::vector<ExecutionTuple> out;
  for (const ExecutionSegment& s : q.segments()) out.push_back(tuple(s.to_string(), sequence));
  return out;
}

// k6 TestGetStripedOffsets, every vector.
TEST(ExecutionTuple, K6StripedOffsets) {
  struct Case {
    const char* seq;
    const char* seg;
    int64_t start;
    std::vector<int64_t> offsets;
    int64_t lcd;
  };
  const std::vector<Case> cases = {
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0:0.3", 0, {4, 3, 3}, 10},
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.3:0.5", 1, {4, 6}, 10},
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.5:0.6", 2, {10}, 10},
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.6:0.7", 3, {10}, 10},
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.8:0.9", 8, {10}, 10},
      {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.9:1", 9, {10}, 10},
      {"0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0.9:1", 9, {10}, 10},
      {"0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0:0.2", 1, {4, 6}, 10},
      {"0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0.6:0.7", 3, {10}, 10},
      {"0,0.2,0.5", "0:0.2", 3, {6, 4}, 10},
      {"0,0.2,0.5", "0.2:0.5", 1, {4, 2, 4}, 10},
      {"0,2/5,4/5", "0:2/5", 0, {3, 2}, 5},
      {"0,2/5,4/5", "2/5:4/5", 1, {3, 2}, 5},
      {"", "0:0.2", 1, {5}, 5},
      {"", "0:1/5", 1, {5}, 5},
      {"", "0:2/10", 1, {5}, 5},
      {"", "0:0.4", 1, {2, 3}, 5},
      {"", "0:2/5", 1, {2, 3}, 5},
      {"", "2/5:4/5", 1, {3, 2}, 5},
      {"", "0:4/10", 1, {2, 3}, 5},
      {"", "1/10:5/10", 1, {2, 2, 4, 2}, 10},
  };
  for (const Case& c : cases) {
    const ExecutionTuple t = tuple(c.seg, c.seq);
    EXPECT_EQ(t.striping().start(t.index()), c.start) << c.seg << " in " << c.seq;
    EXPECT_EQ(t.striping().offsets(t.index()), c.offsets) << c.seg << " in " << c.seq;
    EXPECT_EQ(t.lcd(), c.lcd) << c.seg << " in " << c.seq;
  }
}

// k6 TestSequenceLCD (the filled sequence's LCD is the same for these).
TEST(ExecutionTuple, K6Lcd) {
  EXPECT_EQ(tuple("0:0.3", "0,0.3,0.5,0.6,0.7,0.8,0.9,1").lcd(), 10);
  EXPECT_EQ(tuple("0:0.1", "0,0.1,0.5,0.6,0.7,0.8,0.9,1").lcd(), 10);
  EXPECT_EQ(tuple("0:0.2", "0,0.2,0.5,0.6,0.7,0.8,0.9,1").lcd(), 10);
  EXPECT_EQ(tuple("0:1/3", "0,1/3,5/6").lcd(), 6);
  EXPECT_EQ(tuple("0:1/3", "0,1/3,4/7").lcd(), 21);
}

// k6 TestExecutionTupleScale, TestBigScale, TestNewExecutionTuple.scaleTests.
TEST(ExecutionTuple, K6Scale) {
  EXPECT_EQ(tuple("0.5", "").scale(2), 1);
  EXPECT_EQ(tuple("0.5", "").scale(3), 2);
  EXPECT_EQ(tuple("0.5:1.0", "").scale(2), 1);
  EXPECT_EQ(tuple("0.5:1.0", "").scale(3), 1);
  EXPECT_EQ(tuple("0.5", "0,0.5,1").scale(3), 2);
  EXPECT_EQ(tuple("0.5:1.0", "0,0.5,1").scale(3), 1);
  EXPECT_EQ(tuple("0:7/20", "0,7/20,7/10,1").scale(50), 18);
  for (const char* seg : {"", "0:1"}) {
    for (const char* seq : {"", "0,1"}) {
      EXPECT_EQ(tuple(seg, seq).scale(50), 50);
      EXPECT_EQ(tuple(seg, seq).scale(1), 1);
      EXPECT_EQ(tuple(seg, seq).scale(0), 0);
    }
  }
  const std::string thirds = "0,1/3,2/3,1";
  struct Case {
    const char* seg;
    int64_t value, scaled;
  };
  for (const Case& c :
       {Case{"0:1/3", 50, 17}, Case{"0:1/3", 3, 1}, Case{"0:1/3", 2, 1}, Case{"0:1/3", 1, 1},
        Case{"0:1/3", 0, 0}, Case{"1/3:2/3", 50, 17}, Case{"1/3:2/3", 3, 1}, Case{"1/3:2/3", 2, 1},
        Case{"1/3:2/3", 1, 0}, Case{"2/3:1", 50, 16}, Case{"2/3:1", 3, 1}, Case{"2/3:1", 2, 0},
        Case{"2/3:1", 1, 0}}) {
    EXPECT_EQ(tuple(c.seg, thirds).scale(c.value), c.scaled) << c.seg << " of " << c.value;
  }
}

// k6 TestNewExecutionTuple.newScaleTests and TestGetNewExecutionTupleBesedOnValue.
TEST(ExecutionTuple, K6Rescaled) {
  const std::string thirds = "0,1/3,2/3,1";
  EXPECT_EQ(tuple("0:1/3", thirds).rescaled(20).value().sequence().to_string(), "0,7/20,7/10,1");
  struct Case {
    const char* seg;
    int64_t value;
    bool ok;
    int64_t scale50, scale1;
  };
  for (const Case& c : {Case{"0:1/3", 50, true, 17, 1}, Case{"0:1/3", 20, true, 18, 1},
                        Case{"0:1/3", 3, true, 17, 1}, Case{"0:1/3", 2, true, 25, 1},
                        Case{"0:1/3", 1, true, 50, 1}, Case{"0:1/3", 0, false, 0, 0},
                        Case{"1/3:2/3", 50, true, 17, 0}, Case{"1/3:2/3", 20, true, 17, 0},
                        Case{"1/3:2/3", 3, true, 17, 0}, Case{"1/3:2/3", 2, true, 25, 0},
                        Case{"1/3:2/3", 1, false, 0, 0}, Case{"2/3:1", 50, true, 16, 0},
                        Case{"2/3:1", 20, true, 15, 0}, Case{"2/3:1", 3, true, 16, 0},
                        Case{"2/3:1", 2, false, 0, 0}, Case{"2/3:1", 1, false, 0, 0}}) {
    Result<ExecutionTuple> t = tuple(c.seg, thirds).rescaled(c.value);
    ASSERT_EQ(t.ok(), c.ok) << c.seg << " rescaled by " << c.value;
    if (!c.ok) continue;
    EXPECT_EQ(t.value().scale(50), c.scale50) << c.seg << " rescaled by " << c.value;
    EXPECT_EQ(t.value().scale(1), c.scale1) << c.seg << " rescaled by " << c.value;
    EXPECT_EQ(t.value().scale(0), 0);
  }
  for (const char* seg : {"", "0:1"}) {
    EXPECT_EQ(tuple(seg, "").rescaled(50).value().scale(50), 50);
    EXPECT_EQ(tuple(seg, "").rescaled(1).value().scale(1), 1);
    EXPECT_FALSE(tuple(seg, "").rescaled(0).ok());
  }
}

// k6's doc example (ExecutionTuple comment): 0:1/2, 1/2:3/4, 3/4:1.
TEST(ExecutionTuple, K6DocExample) {
  std::vector<ExecutionTuple> t = all_tuples("0,1/2,3/4,1");
  const std::vector<std::vector<int64_t>> own = {{0, 2, 4, 6, 8, 10}, {1, 5, 9}, {3, 7, 11}};
  for (size_t s = 0; s < 3; ++s) {
    for (size_t j = 0; j < own[s].size(); ++j) EXPECT_EQ(t[s].global_index(j), own[s][j]);
  }
  const std::vector<std::vector<int64_t>> scaled = {{1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6},
                                                    {0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3},
                                                    {0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3}};
  for (size_t s = 0; s < 3; ++s) {
    for (int64_t v = 1; v <= 12; ++v) EXPECT_EQ(t[s].scale(v), scaled[s][v - 1]) << s << " " << v;
  }
}

TEST(ExecutionTuple, Errors) {
  Result<ExecutionTuple> t =
      ExecutionTuple::make(parse_execution_segment("1/3:1/2").value(),
                           parse_execution_segment_sequence("0,1/3,2/3,1").value());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "segment 1/3:1/2 is not in the sequence 0,1/3,2/3,1");
  // A sequence that does not reach the segment is filled around, so the segment is missing.
  EXPECT_FALSE(ExecutionTuple::make(parse_execution_segment("2/3:1").value(),
                                    parse_execution_segment_sequence("0,1/3").value())
                   .ok());
  Result<ExecutionTuple> fine = ExecutionTuple::make(
      parse_execution_segment("0:1/10000019").value(), ExecutionSegmentSequence());
  ASSERT_FALSE(fine.ok());
  EXPECT_NE(fine.error().message().find("common denominator above 10000000"), std::string::npos);
  EXPECT_FALSE(SegmentStriping::make(parse_execution_segment_sequence("0,1/2").value()).ok());
  // 41 segments over a denominator of 9,999,991 (prime): 4·10^8 steps of the deal, refused.
  std::string many = "0";
  for (int i = 1; i <= 40; ++i) many += "," + std::to_string(i) + "/9999991";
  Result<SegmentStriping> slow = SegmentStriping::make(
      filled_sequence(parse_execution_segment_sequence(many).value(), ExecutionSegment()));
  ASSERT_FALSE(slow.ok());
  EXPECT_NE(slow.error().message().find("more than stampede stripes"), std::string::npos);
}

// The defining property: for every N, the segments of a sequence own disjoint items whose union
// is 0..N-1, scale() counts them, global_index() lists them in order, and scale() never
// decreases. Checked for the sequences the tests and docs use plus random ones (as k6's
// TestExecutionTupleScaleConsistency and TestExecutionSegmentScaleNoWobble do).
void expect_partition(const std::string& sequence, int64_t up_to) {
  SCOPED_TRACE(sequence);
  const std::vector<ExecutionTuple> t = all_tuples(sequence);
  std::vector<int64_t> next(t.size(), 0);  // each segment's next own item (j)
  std::vector<int64_t> last_scale(t.size(), 0);
  for (int64_t k = 0; k < up_to; ++k) {
    int owners = 0;
    for (size_t s = 0; s < t.size(); ++s) {
      if (!t[s].owns(k)) continue;
      ++owners;
      ASSERT_EQ(t[s].global_index(next[s]), k) << "segment " << s;
      ++next[s];
    }
    ASSERT_EQ(owners, 1) << "item " << k;
    int64_t sum = 0;
    for (size_t s = 0; s < t.size(); ++s) {
      const int64_t scaled = t[s].scale(k + 1);
      ASSERT_EQ(scaled, next[s]) << "segment " << s << " of " << k + 1;
      ASSERT_GE(scaled, last_scale[s]);
      last_scale[s] = scaled;
      sum += scaled;
    }
    ASSERT_EQ(sum, k + 1);
  }
}

TEST(ExecutionTuple, SegmentsPartitionEveryPrefix) {
  for (const char* seq : {"0,1", "0,1/2,1", "0,1/3,2/3,1", "0,1/2,3/4,1", "0,1/5,1/2,1",
                          "0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0,1/13,2/13,1/3,1/2,3/4,1",
                          "0,7/20,7/10,1", "0,1/7,1", "0,2235/5213,4/5,1"}) {
    expect_partition(seq, 3 * 5213 + 7);
  }
  std::mt19937_64 rng(20261207);
  for (int round = 0; round < 20; ++round) {
    // A random sequence of 2..10 segments with lengths n_i / sum(n).
    const int count = 2 + static_cast<int>(rng() % 9);
    std::vector<int64_t> n(count);
    int64_t total = 0;
    for (int64_t& v : n) total += (v = 1 + static_cast<int64_t>(rng() % 100));
    std::string seq = "0";
    int64_t acc = 0;
    for (int64_t v : n) {
      acc += v;
      seq += "," + std::to_string(acc) + "/" + std::to_string(total);
    }
    expect_partition(seq, 2 * total + 13);
  }
}

// Within one block, a segment's items are as evenly spread as the deal allows: between any two
// points of the run of items, a segment's count differs from its exact share length·N by < 2 for
// the sequences used in docs (k6 keeps segments "even at any moment").
TEST(ExecutionTuple, EvenAtAnyMoment) {
  for (const char* seq : {"0,1/3,2/3,1", "0,1/2,3/4,1", "0,1/5,1/2,1"}) {
    const ExecutionSegmentSequence q = parse_execution_segment_sequence(seq).value();
    const std::vector<ExecutionTuple> t = all_tuples(seq);
    for (size_t s = 0; s < t.size(); ++s) {
      for (int64_t v = 0; v <= 1000; ++v) {
        const double exact = q[s].length().to_double() * static_cast<double>(v);
        EXPECT_LT(std::abs(static_cast<double>(t[s].scale(v)) - exact), 1.0 + 1e-9)
            << seq << " segment " << s << " at " << v;
      }
    }
  }
}

TEST(ExecutionTuple, WholeTestIsIdentity) {
  const ExecutionTuple whole;
  EXPECT_TRUE(whole.segment().is_full());
  EXPECT_EQ(whole.sequence().to_string(), "0,1");
  EXPECT_EQ(whole.lcd(), 1);
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{7}, int64_t{1} << 40}) {
    EXPECT_EQ(whole.scale(v), v);
    EXPECT_EQ(whole.global_index(v), v);
    EXPECT_TRUE(whole.owns(v));
  }
}

}  // namespace
}  // namespace stampede
