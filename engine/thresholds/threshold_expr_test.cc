#include "engine/thresholds/threshold_expr.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace stampede {
namespace {

using Aggregation = ThresholdExpr::Aggregation;
using Op = ThresholdExpr::Op;

ThresholdExpr parse_ok(std::string_view text) {
  Result<ThresholdExpr> r = parse_threshold_expr(text);
  EXPECT_TRUE(r.ok()) << "'" << text << "': " << (r.ok() ? "" : r.error().message());
  return r.ok() ? r.value() : ThresholdExpr{};
}

std::string parse_error(std::string_view text) {
  Result<ThresholdExpr> r = parse_threshold_expr(text);
  EXPECT_FALSE(r.ok()) << "'" << text << "' unexpectedly parsed";
  return r.ok() ? "" : r.error().message();
}

TEST(ParseThresholdExpr, Aggregations) {
  struct Case {
    const char* text;
    Aggregation aggregation;
  };
  for (const Case& c : {Case{"count>10", Aggregation::kCount},
                        Case{"rate<0.01", Aggregation::kRate}, Case{"value<5", Aggregation::kValue},
                        Case{"avg<200", Aggregation::kAvg}, Case{"min>1", Aggregation::kMin},
                        Case{"max<2000", Aggregation::kMax}, Case{"med<150", Aggregation::kMed}}) {
    const ThresholdExpr e = parse_ok(c.text);
    EXPECT_EQ(e.aggregation, c.aggregation) << c.text;
    EXPECT_EQ(e.source, c.text);
  }
}

TEST(ParseThresholdExpr, Percentiles) {
  ThresholdExpr e = parse_ok("p(99)<800");
  EXPECT_EQ(e.aggregation, Aggregation::kPercentile);
  EXPECT_DOUBLE_EQ(e.percentile, 99);
  EXPECT_EQ(e.op, Op::kLess);
  EXPECT_DOUBLE_EQ(e.target, 800);

  EXPECT_DOUBLE_EQ(parse_ok("p(99.9)<800").percentile, 99.9);
  EXPECT_DOUBLE_EQ(parse_ok("p(0)>0").percentile, 0);
  EXPECT_DOUBLE_EQ(parse_ok("p(100)<1").percentile, 100);
  EXPECT_DOUBLE_EQ(parse_ok("p(.5)<1").percentile, 0.5);
  EXPECT_DOUBLE_EQ(parse_ok("p( 95 )<1").percentile, 95);
  EXPECT_DOUBLE_EQ(parse_ok("p(99.99)<1").percentile, 99.99);
}

TEST(ParseThresholdExpr, Operators) {
  struct Case {
    const char* text;
    Op op;
  };
  for (const Case& c :
       {Case{"avg<1", Op::kLess}, Case{"avg<=1", Op::kLessEqual}, Case{"avg>1", Op::kGreater},
        Case{"avg>=1", Op::kGreaterEqual}, Case{"avg==1", Op::kEqual}, Case{"avg===1", Op::kEqual},
        Case{"avg!=1", Op::kNotEqual}}) {
    const ThresholdExpr e = parse_ok(c.text);
    EXPECT_EQ(e.op, c.op) << c.text;
    EXPECT_DOUBLE_EQ(e.target, 1) << c.text;
  }
}

TEST(ParseThresholdExpr, Whitespace) {
  ThresholdExpr e = parse_ok("  p(95)   <   500  ");
  EXPECT_DOUBLE_EQ(e.percentile, 95);
  EXPECT_DOUBLE_EQ(e.target, 500);
  EXPECT_EQ(e.source, "  p(95)   <   500  ");
  EXPECT_EQ(parse_ok("rate\t<=\t0.01").op, Op::kLessEqual);
  EXPECT_EQ(parse_ok("count >= 3").op, Op::kGreaterEqual);
}

TEST(ParseThresholdExpr, Values) {
  EXPECT_DOUBLE_EQ(parse_ok("avg<0.5").target, 0.5);
  EXPECT_DOUBLE_EQ(parse_ok("avg<.5").target, 0.5);
  EXPECT_DOUBLE_EQ(parse_ok("avg<5.").target, 5);
  EXPECT_DOUBLE_EQ(parse_ok("avg<1e3").target, 1000);
  EXPECT_DOUBLE_EQ(parse_ok("avg<1.5E-2").target, 0.015);
  EXPECT_DOUBLE_EQ(parse_ok("value>-5").target, -5);
  EXPECT_DOUBLE_EQ(parse_ok("value>=+5").target, 5);
  EXPECT_DOUBLE_EQ(parse_ok("count==0").target, 0);
}

TEST(ParseThresholdExpr, ErrorMessages) {
  EXPECT_EQ(parse_error("p99<800"),
            "invalid threshold 'p99<800': expected p(N), avg, min, max, med, count, rate or value");
  EXPECT_EQ(parse_error("average<800"),
            "invalid threshold 'average<800': expected p(N), avg, min, max, med, count, rate or "
            "value");
  EXPECT_EQ(parse_error("avg 800"),
            "invalid threshold 'avg 800': expected AGGREGATION OPERATOR VALUE, e.g. p(95)<500 "
            "(operators: < <= > >= == === !=)");
  EXPECT_EQ(parse_error("p(101)<800"),
            "invalid threshold 'p(101)<800': percentile must be between 0 and 100");
  EXPECT_EQ(parse_error("p(abc)<800"),
            "invalid threshold 'p(abc)<800': percentile 'abc' is not a number");
  EXPECT_EQ(parse_error("avg<abc"), "invalid threshold 'avg<abc': 'abc' is not a number");
  EXPECT_EQ(parse_error("avg<"), "invalid threshold 'avg<': missing value after '<'");
}

TEST(ParseThresholdExpr, RejectsMalformed) {
  for (const char* text : {
           "",             // empty
           "   ",          //
           "<800",         // no aggregation
           "avg",          // no operator
           "avg=800",      // single '=' is not an operator
           "avg=>800",     //
           "avg<>800",     //
           "avg<<800",     //
           "avg!800",      //
           "avg<800ms",    // units are not part of the syntax
           "avg<800 900",  //
           "avg<1,5",      //
           "avg<inf",      // non-finite values
           "avg<nan",      //
           "avg<0x10",     // hex
           "avg<1_000",    //
           "avg<1e",       // incomplete exponent
           "avg<.",        //
           "avg<-",        //
           "AVG<800",      // case-sensitive like k6
           "p(99<800",     // broken percentile
           "p99)<800",     //
           "p()<800",      //
           "p(-1)<800",    // out of range
           "p(100.1)<800",
           "p(1e3)<800",
           "P(99)<800",
           "p (99)<800",
           "avg avg<800",
       }) {
    const std::string message = parse_error(text);
    EXPECT_EQ(message.rfind("invalid threshold '" + std::string(text) + "': ", 0), 0u) << message;
  }
}

TEST(ThresholdExpr, Evaluate) {
  EXPECT_TRUE(parse_ok("p(99)<800").evaluate(799.9));
  EXPECT_FALSE(parse_ok("p(99)<800").evaluate(800));
  EXPECT_TRUE(parse_ok("p(99)<=800").evaluate(800));
  EXPECT_FALSE(parse_ok("p(99)<=800").evaluate(800.1));
  EXPECT_TRUE(parse_ok("count>10").evaluate(11));
  EXPECT_FALSE(parse_ok("count>10").evaluate(10));
  EXPECT_TRUE(parse_ok("count>=10").evaluate(10));
  EXPECT_FALSE(parse_ok("count>=10").evaluate(9));
  EXPECT_TRUE(parse_ok("value==3").evaluate(3));
  EXPECT_TRUE(parse_ok("value===3").evaluate(3));
  EXPECT_FALSE(parse_ok("value==3").evaluate(3.0000001));
  EXPECT_TRUE(parse_ok("value!=3").evaluate(4));
  EXPECT_FALSE(parse_ok("value!=3").evaluate(3));
  EXPECT_TRUE(parse_ok("rate<0.01").evaluate(0.0099));
  EXPECT_FALSE(parse_ok("rate<0.01").evaluate(0.01));
}

TEST(ThresholdExpr, EvaluateNaN) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(parse_ok("avg<1").evaluate(nan));
  EXPECT_FALSE(parse_ok("avg>=1").evaluate(nan));
  EXPECT_FALSE(parse_ok("avg==1").evaluate(nan));
  EXPECT_TRUE(parse_ok("avg!=1").evaluate(nan));
}

TEST(ThresholdExpr, ValidFor) {
  struct Case {
    const char* text;
    bool counter, gauge, rate, trend;
  };
  for (const Case& c : {
           Case{"count>1", true, false, false, false},
           Case{"rate<1", true, false, true, false},
           Case{"value<1", false, true, false, false},
           Case{"avg<1", false, false, false, true},
           Case{"min<1", false, false, false, true},
           Case{"max<1", false, false, false, true},
           Case{"med<1", false, false, false, true},
           Case{"p(95)<1", false, false, false, true},
       }) {
    const ThresholdExpr e = parse_ok(c.text);
    EXPECT_EQ(e.valid_for(MetricType::kCounter), c.counter) << c.text;
    EXPECT_EQ(e.valid_for(MetricType::kGauge), c.gauge) << c.text;
    EXPECT_EQ(e.valid_for(MetricType::kRate), c.rate) << c.text;
    EXPECT_EQ(e.valid_for(MetricType::kTrend), c.trend) << c.text;
  }
}

TEST(ThresholdExpr, Names) {
  EXPECT_EQ(parse_ok("p(99)<1").aggregation_name(), "p(99)");
  EXPECT_EQ(parse_ok("p(99.9)<1").aggregation_name(), "p(99.9)");
  EXPECT_EQ(parse_ok("p( 99.990 )<1").aggregation_name(), "p(99.99)");
  EXPECT_EQ(parse_ok("p(99.99999)<1").aggregation_name(), "p(99.99999)");
  EXPECT_EQ(parse_ok("p(0.5)<1").aggregation_name(), "p(0.5)");
  EXPECT_EQ(parse_ok("avg<1").aggregation_name(), "avg");
  EXPECT_EQ(parse_ok("count<1").aggregation_name(), "count");
  EXPECT_EQ(parse_ok("value<1").aggregation_name(), "value");
  EXPECT_EQ(op_symbol(parse_ok("avg===1").op), "==");
  EXPECT_EQ(op_symbol(parse_ok("avg>=1").op), ">=");
  EXPECT_EQ(op_symbol(parse_ok("avg!=1").op), "!=");
}

}  // namespace
}  // namespace stampede
