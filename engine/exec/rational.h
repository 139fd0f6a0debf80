// Exact rational numbers for execution segments (k6 uses math/big.Rat; segment bounds such as 1/3
// must not round, or the shares of a sequence would not add up).
//
// A Rational is always normalised: den > 0, gcd(|num|, den) == 1, zero is 0/1. Numerator and
// denominator are int64; every operation that could leave that range returns an error instead of
// wrapping. Comparisons are exact (128-bit cross products) and never fail.
//
// parse_rational accepts what k6's execution-segment parser (lib/execution_segment.go,
// stringToRat) accepts in practice:
//   integer "1", "+1", "-1"      fraction "1/3", "2/4" (both sides integers, den != 0)
//   decimal "0.5", ".5", "5.", "1e-1", "2.5E-1"      percent "75%" (an integer before '%')
// Not accepted (Go's big.Rat would): base prefixes ("0x1/2", "0b1"); leading zeros are decimal.
//
// Value type; pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace stampede {

class Rational {
 public:
  constexpr Rational() = default;                      // 0
  constexpr explicit Rational(int64_t n) : num_(n) {}  // n/1
  // num/den normalised. Errors: den == 0, or a value that cannot be normalised into int64
  // (only INT64_MIN with a negative denominator).
  static Result<Rational> make(int64_t num, int64_t den);

  int64_t num() const { return num_; }
  int64_t den() const { return den_; }

  // Errors: the exact result does not fit int64/int64 after normalising ("rational overflow").
  Result<Rational> add(const Rational& o) const;
  Result<Rational> sub(const Rational& o) const;
  Result<Rational> mul(const Rational& o) const;
  Result<Rational> div(const Rational& o) const;  // also errors on division by zero

  int compare(const Rational& o) const;  // -1, 0, 1
  bool operator==(const Rational& o) const { return num_ == o.num_ && den_ == o.den_; }
  bool operator!=(const Rational& o) const { return !(*this == o); }
  bool operator<(const Rational& o) const { return compare(o) < 0; }
  bool operator<=(const Rational& o) const { return compare(o) <= 0; }
  bool operator>(const Rational& o) const { return compare(o) > 0; }
  bool operator>=(const Rational& o) const { return compare(o) >= 0; }

  // floor(value · this) for value >= 0 and this >= 0, exact (128-bit). Errors if the result
  // does not fit int64.
  Result<int64_t> floor_times(int64_t value) const;

  // k6's big.Rat.RatString: "1/3", "2", "0", "-1/2".
  std::string to_string() const;
  double to_double() const { return static_cast<double>(num_) / static_cast<double>(den_); }

 private:
  int64_t num_ = 0;
  int64_t den_ = 1;
};

// Parses one number of the grammar above. Errors name the text:
// "'1a5' is not a valid percentage, decimal, fraction or interval value".
Result<Rational> parse_rational(std::string_view text);

// Greatest common divisor and least common multiple of positive values; lcm errors on overflow.
int64_t gcd_int64(int64_t a, int64_t b);
Result<int64_t> lcm_int64(int64_t a, int64_t b);

}  // namespace stampede
