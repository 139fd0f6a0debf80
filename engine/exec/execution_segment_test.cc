#include "engine/exec/execution_segment.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stampede {
namespace {

ExecutionSegment seg(const std::string& text) {
  Result<ExecutionSegment> s = parse_execution_segment(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.error().message();
  return s.ok() ? s.value() : ExecutionSegment();
}

ExecutionSegmentSequence seq(const std::string& text) {
  Result<ExecutionSegmentSequence> s = parse_execution_segment_sequence(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.error().message();
  return s.ok() ? s.value() : ExecutionSegmentSequence();
}

// k6 lib/execution_segment_test.go, TestExecutionSegmentUnmarshalText.
TEST(ExecutionSegment, ParsesK6Vectors) {
  struct Case {
    const char* text;
    const char* canonical;
  };
  for (const Case& c : {Case{"0:1", "0:1"}, Case{"0.5:0.75", "1/2:3/4"}, Case{"1/2:3/4", "1/2:3/4"},
                        Case{"50%:75%", "1/2:3/4"}, Case{"2/4:75%", "1/2:3/4"},
                        Case{"75%", "0:3/4"}, Case{"", "0:1"}, Case{"1/3:2/3", "1/3:2/3"},
                        Case{"0.2", "0:1/5"}, Case{"1/5", "0:1/5"}, Case{"20%", "0:1/5"}}) {
    const ExecutionSegment s = seg(c.text);
    EXPECT_EQ(s.to_string(), c.canonical) << c.text;
    // The canonical form parses back to the same segment.
    EXPECT_EQ(seg(s.to_string()), s) << c.text;
  }
  EXPECT_TRUE(seg("0:1").is_full());
  EXPECT_TRUE(ExecutionSegment().is_full());
  EXPECT_EQ(ExecutionSegment().to_string(), "0:1");
  EXPECT_FALSE(seg("0:1/2").is_full());
  EXPECT_EQ(seg("1/3:1/2").length(), Rational::make(1, 6).value());
}

TEST(ExecutionSegment, RejectsK6Failures) {
  for (const char* text :
       {"125%", "1a5%", "1a5", "1a5%:2/3", "125%:250%", "55%:50%", "1/3:1/4", "2/1:3", "abc",
        "1/2:1/2", "-1/2:1", "0:2", "0:0", "1:1", "0:", ":1", "1/3:2/3:1", "0,1"}) {
    EXPECT_FALSE(parse_execution_segment(text).ok()) << text;
  }
  EXPECT_EQ(parse_execution_segment("1/3:1/4").error().message(),
            "segment start(1/3) must be less than its end(1/4)");
  EXPECT_EQ(parse_execution_segment("2/1:3").error().message(),
            "segment end value can't be more than 1 but was 3");
  EXPECT_EQ(parse_execution_segment("0:2").error().message(),
            "segment end value can't be more than 1 but was 2");
  EXPECT_EQ(parse_execution_segment("-1/2:1").error().message(),
            "segment start value must be at least 0 but was -1/2");
  EXPECT_EQ(parse_execution_segment("abc").error().message(),
            "'abc' is not a valid percentage, decimal, fraction or interval value");
}

// k6 TestExecutionSegmentSubSegment / TestExecutionSegmentSplit results, via sub_segment.
TEST(ExecutionSegment, SubSegment) {
  EXPECT_EQ(seg("1/2:1").sub_segment(seg("0:1/2")).value(), seg("1/2:3/4"));
  EXPECT_EQ(seg("0:1/2").sub_segment(seg("1/2:1")).value(), seg("1/4:1/2"));
  EXPECT_EQ(seg("1/4:1/2").sub_segment(seg("1/3:2/3")).value(), seg("1/3:5/12"));
  EXPECT_EQ(seg("0:1").sub_segment(seg("1/3:2/3")).value(), seg("1/3:2/3"));
  EXPECT_EQ(seg("1/3:2/3").sub_segment(seg("0:1")).value(), seg("1/3:2/3"));
}

// k6 TestExecutionSegmentStringSequences.
TEST(ExecutionSegmentSequence, ParsesK6Vectors) {
  struct Case {
    const char* text;
    std::vector<const char*> segments;
    bool reversible;
  };
  const std::vector<Case> cases = {
      {"", {}, true},
      {"0.5,1", {"1/2:1"}, false},
      {"1/2,1", {"1/2:1"}, true},
      {"1/3,2/3", {"1/3:2/3"}, true},
      {"0,1/3,2/3", {"0:1/3", "1/3:2/3"}, true},
      {"0,1/3,2/3,1", {"0:1/3", "1/3:2/3", "2/3:1"}, true},
      {"0.5,0.7", {"1/2:7/10"}, false},
      {"0.5,0.7,1", {"1/2:7/10", "7/10:1"}, false},
      {"0,1/13,2/13,1/3,1/2,3/4,1",
       {"0:1/13", "1/13:2/13", "2/13:1/3", "1/3:1/2", "1/2:3/4", "3/4:1"},
       true},
  };
  for (const Case& c : cases) {
    const ExecutionSegmentSequence s = seq(c.text);
    ASSERT_EQ(s.size(), c.segments.size()) << c.text;
    for (size_t i = 0; i < c.segments.size(); ++i) EXPECT_EQ(s[i], seg(c.segments[i])) << c.text;
    if (c.reversible) {
      EXPECT_EQ(s.to_string(), c.text);
    }
  }
  EXPECT_TRUE(seq("0,1/3,2/3,1").is_full());
  EXPECT_FALSE(seq("0,1/3,2/3").is_full());
  EXPECT_FALSE(seq("").is_full());
  EXPECT_EQ(seq("0,1/3,2/3,1").find(seg("1/3:2/3")), 1);
  EXPECT_EQ(seq("0,1/3,2/3,1").find(seg("1/3:1/2")), -1);
}

TEST(ExecutionSegmentSequence, RejectsK6Failures) {
  for (const char* text : {"0.5", "1,1", "-0.5,1", "1/2,1/2", "1/2,1/3", "0,1,1/2", "0,,1",
                           "0,abc,1", "0,1/3,2", ","}) {
    EXPECT_FALSE(parse_execution_segment_sequence(text).ok()) << text;
  }
  EXPECT_EQ(parse_execution_segment_sequence("0.5").error().message(),
            "at least 2 points are needed for an execution segment sequence, 1 given");
  EXPECT_EQ(parse_execution_segment_sequence("0,1,1/2").error().message(),
            "segment start(1) must be less than its end(1/2)");
  // k6 TestExecutionSegmentSequences: segments must be adjacent.
  EXPECT_FALSE(ExecutionSegmentSequence::make({seg("0:1/3"), seg("1/2:1")}).ok());
}

// k6 GetFilledExecutionSegmentSequence.
TEST(ExecutionSegmentSequence, Filled) {
  EXPECT_EQ(filled_sequence(seq(""), ExecutionSegment()).to_string(), "0,1");
  EXPECT_EQ(filled_sequence(seq(""), seg("1/3:1/2")).to_string(), "0,1/3,1/2,1");
  EXPECT_EQ(filled_sequence(seq(""), seg("0:1/5")).to_string(), "0,1/5,1");
  EXPECT_EQ(filled_sequence(seq(""), seg("2/5:1")).to_string(), "0,2/5,1");
  EXPECT_EQ(filled_sequence(seq("0,0.2,0.5"), seg("0:0.2")).to_string(), "0,1/5,1/2,1");
  EXPECT_EQ(filled_sequence(seq("1/3,2/3"), seg("1/3:2/3")).to_string(), "0,1/3,2/3,1");
  EXPECT_EQ(filled_sequence(seq("0,1/2,3/4,1"), seg("1/2:3/4")).to_string(), "0,1/2,3/4,1");
}

TEST(SegmentSet, Disjoint) {
  EXPECT_TRUE(check_disjoint({}).ok());
  EXPECT_TRUE(check_disjoint({seg("2/3:1"), seg("0:1/3"), seg("1/3:2/3")}).ok());
  EXPECT_TRUE(check_disjoint({seg("0:1/5"), seg("1/2:1")}).ok());
  Status s = check_disjoint({seg("1/3:2/3"), seg("0:1/2")});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "segments 0:1/2 and 1/3:2/3 overlap");
  EXPECT_FALSE(check_disjoint({seg("0:1"), seg("1/2:1")}).ok());
  EXPECT_FALSE(check_disjoint({seg("1/2:1"), seg("1/2:1")}).ok());
}

TEST(SegmentSet, Uncovered) {
  EXPECT_TRUE(uncovered_segments({seg("2/3:1"), seg("0:1/3"), seg("1/3:2/3")}).empty());
  EXPECT_TRUE(uncovered_segments({seg("0:1")}).empty());
  EXPECT_TRUE(uncovered_segments({seg("0:2/3"), seg("1/3:1")}).empty());  // overlap, but covered
  std::vector<ExecutionSegment> gaps = uncovered_segments({seg("1/5:1/2"), seg("3/4:1")});
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0].to_string(), "0:1/5");
  EXPECT_EQ(gaps[1].to_string(), "1/2:3/4");
  gaps = uncovered_segments({});
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_TRUE(gaps[0].is_full());
}

}  // namespace
}  // namespace stampede
