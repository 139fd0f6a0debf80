#include "engine/thresholds/threshold_expr.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace stampede {
namespace {

using Aggregation = ThresholdExpr::Aggregation;
using Op = ThresholdExpr::Op;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

Error invalid(std::string_view text, std::string_view why) {
  return Error("invalid threshold '" + std::string(text) + "': " + std::string(why));
}

// Accepts only [+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?; std::from_chars alone
// would also take "inf", "nan" and a leading "-" but not "+".
bool parse_number(std::string_view s, double* out) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const size_t mantissa_start = i;
  size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  if (i != s.size()) return false;

  double value = 0;
  const char* begin = s.data() + mantissa_start;
  const auto [end, ec] = std::from_chars(begin, s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return false;
  *out = s[0] == '-' ? -value : value;
  return true;
}

struct OpToken {
  std::string_view text;
  Op op;
};

// Longest first, so "<=" is not read as "<" followed by "=".
constexpr OpToken kOps[] = {
    {"===", Op::kEqual},       {"==", Op::kEqual}, {"!=", Op::kNotEqual}, {"<=", Op::kLessEqual},
    {">=", Op::kGreaterEqual}, {"<", Op::kLess},   {">", Op::kGreater},
};

struct NamedAggregation {
  std::string_view name;
  Aggregation aggregation;
};

constexpr NamedAggregation kAggregations[] = {
    {"count", Aggregation::kCount}, {"rate", Aggregation::kRate}, {"value", Aggregation::kValue},
    {"avg", Aggregation::kAvg},     {"min", Aggregation::kMin},   {"max", Aggregation::kMax},
    {"med", Aggregation::kMed},
};

constexpr std::string_view kExpectedAggregation =
    "expected p(N), avg, min, max, med, count, rate or value";
constexpr std::string_view kExpectedShape =
    "expected AGGREGATION OPERATOR VALUE, e.g. p(95)<500 (operators: < <= > >= == === !=)";

}  // namespace

bool ThresholdExpr::evaluate(double observed) const {
  switch (op) {
    case Op::kLess:
      return observed < target;
    case Op::kLessEqual:
      return observed <= target;
    case Op::kGreater:
      return observed > target;
    case Op::kGreaterEqual:
      return observed >= target;
    case Op::kEqual:
      return observed == target;
    case Op::kNotEqual:
      return observed != target;
  }
  return false;
}

bool ThresholdExpr::valid_for(MetricType type) const {
  switch (type) {
    case MetricType::kCounter:
      return aggregation == Aggregation::kCount || aggregation == Aggregation::kRate;
    case MetricType::kGauge:
      return aggregation == Aggregation::kValue;
    case MetricType::kRate:
      return aggregation == Aggregation::kRate;
    case MetricType::kTrend:
      return aggregation == Aggregation::kAvg || aggregation == Aggregation::kMin ||
             aggregation == Aggregation::kMax || aggregation == Aggregation::kMed ||
             aggregation == Aggregation::kPercentile;
  }
  return false;
}

std::string ThresholdExpr::aggregation_name() const {
  if (aggregation == Aggregation::kPercentile) {
    // Shortest form that reads back as the same double, like Go's %g used by k6 ("p(99.9)").
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof(buf), percentile);
    return "p(" + std::string(buf, result.ptr) + ")";
  }
  for (const NamedAggregation& named : kAggregations) {
    if (named.aggregation == aggregation) return std::string(named.name);
  }
  return "?";
}

std::string_view op_symbol(ThresholdExpr::Op op) {
  switch (op) {
    case Op::kLess:
      return "<";
    case Op::kLessEqual:
      return "<=";
    case Op::kGreater:
      return ">";
    case Op::kGreaterEqual:
      return ">=";
    case Op::kEqual:
      return "==";
    case Op::kNotEqual:
      return "!=";
  }
  return "?";
}

Result<ThresholdExpr> parse_threshold_expr(std::string_view text) {
  // The operator starts at the first operator character; nothing on the left side can contain one.
  const size_t op_pos = text.find_first_of("<>=!");
  if (op_pos == std::string_view::npos) return invalid(text, kExpectedShape);
  const OpToken* token = nullptr;
  for (const OpToken& candidate : kOps) {
    if (text.substr(op_pos, candidate.text.size()) == candidate.text) {
      token = &candidate;
      break;
    }
  }
  if (token == nullptr) return invalid(text, kExpectedShape);

  ThresholdExpr expr;
  expr.source = std::string(text);
  expr.op = token->op;

  const std::string_view left = trim(text.substr(0, op_pos));
  if (left.empty()) return invalid(text, kExpectedAggregation);
  bool known = false;
  for (const NamedAggregation& named : kAggregations) {
    if (left == named.name) {
      expr.aggregation = named.aggregation;
      known = true;
    }
  }
  if (!known) {
    if (left.size() < 3 || left.substr(0, 2) != "p(" || left.back() != ')') {
      return invalid(text, kExpectedAggregation);
    }
    const std::string_view n = trim(left.substr(2, left.size() - 3));
    if (!parse_number(n, &expr.percentile)) {
      return invalid(text, "percentile '" + std::string(n) + "' is not a number");
    }
    if (expr.percentile < 0 || expr.percentile > 100) {
      return invalid(text, "percentile must be between 0 and 100");
    }
    expr.aggregation = Aggregation::kPercentile;
  }

  const std::string_view right = trim(text.substr(op_pos + token->text.size()));
  if (right.empty()) return invalid(text, "missing value after '" + std::string(token->text) + "'");
  if (!parse_number(right, &expr.target)) {
    return invalid(text, "'" + std::string(right) + "' is not a number");
  }
  return expr;
}

}  // namespace stampede
