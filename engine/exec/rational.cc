#include "engine/exec/rational.h"

#include <cctype>
#include <cstdlib>
#include <limits>

namespace stampede {
namespace {

using Wide = __int128;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Wide wide_abs(Wide v) {
  return v < 0 ? -v : v;
}

Wide wide_gcd(Wide a, Wide b) {
  a = wide_abs(a);
  b = wide_abs(b);
  while (b != 0) {
    const Wide t = a % b;
    a = b;
    b = t;
  }
  return a;
}

bool fits(Wide v) {
  return v >= kMin && v <= kMax;
}

Error overflow() {
  return Error("rational overflow (numerator or denominator beyond 64 bits)");
}

// Normalises a wide fraction; den != 0.
Result<Rational> normalise(Wide num, Wide den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const Wide g = wide_gcd(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  if (num == 0) den = 1;
  if (!fits(num) || !fits(den)) return overflow();
  return Rational::make(static_cast<int64_t>(num), static_cast<int64_t>(den));
}

Error not_a_number(std::string_view text) {
  return Error("'" + std::string(text) +
               "' is not a valid percentage, decimal, fraction or interval value");
}

// An optionally signed run of decimal digits; the whole text. Fails on overflow.
bool parse_integer(std::string_view s, Wide* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  Wide v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
    if (v > kMax) return false;
  }
  *out = neg ? -v : v;
  return true;
}

// sign? (digits ('.' digits?)? | '.' digits) (('e'|'E') sign? digits)?
Result<Rational> parse_decimal(std::string_view text) {
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  Wide num = 0;
  Wide den = 1;
  size_t digits = 0;
  size_t i = 0;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, ++digits) {
    num = num * 10 + (s[i] - '0');
    if (num > kMax) return overflow();
  }
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, ++digits) {
      num = num * 10 + (s[i] - '0');
      den *= 10;
      if (num > kMax || den > kMax) return overflow();
    }
  }
  if (digits == 0) return not_a_number(text);
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    Wide exp = 0;
    if (!parse_integer(s.substr(i + 1), &exp)) return not_a_number(text);
    if (exp > 18 || exp < -18) return overflow();
    for (; exp > 0; --exp) num *= 10;
    for (; exp < 0; ++exp) den *= 10;
    if (num > kMax || den > kMax) return overflow();
    i = s.size();
  }
  if (i != s.size()) return not_a_number(text);
  return normalise(neg ? -num : num, den);
}

}  // namespace

Result<Rational> Rational::make(int64_t num, int64_t den) {
  if (den == 0) return Error("division by zero in a fraction");
  Wide n = num;
  Wide d = den;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  const Wide g = wide_gcd(n, d);
  if (g > 1) {
    n /= g;
    d /= g;
  }
  if (n == 0) d = 1;
  if (!fits(n) || !fits(d)) return overflow();
  Rational r;
  r.num_ = static_cast<int64_t>(n);
  r.den_ = static_cast<int64_t>(d);
  return r;
}

Result<Rational> Rational::add(const Rational& o) const {
  return normalise(Wide{num_} * o.den_ + Wide{o.num_} * den_, Wide{den_} * o.den_);
}

Result<Rational> Rational::sub(const Rational& o) const {
  return normalise(Wide{num_} * o.den_ - Wide{o.num_} * den_, Wide{den_} * o.den_);
}

Result<Rational> Rational::mul(const Rational& o) const {
  return normalise(Wide{num_} * o.num_, Wide{den_} * o.den_);
}

Result<Rational> Rational::div(const Rational& o) const {
  if (o.num_ == 0) return Error("division by zero");
  return normalise(Wide{num_} * o.den_, Wide{den_} * o.num_);
}

int Rational::compare(const Rational& o) const {
  const Wide l = Wide{num_} * o.den_;
  const Wide r = Wide{o.num_} * den_;
  return l < r ? -1 : (l > r ? 1 : 0);
}

Result<int64_t> Rational::floor_times(int64_t value) const {
  if (value < 0 || num_ < 0) return Error("floor_times needs non-negative operands");
  const Wide v = Wide{value} * num_ / den_;
  if (!fits(v)) return overflow();
  return static_cast<int64_t>(v);
}

std::string Rational::to_string() const {
  if (den_ == 1) return std::to_string(num_);
  return std::to_string(num_) + "/" + std::to_string(den_);
}

Result<Rational> parse_rational(std::string_view text) {
  if (text.empty()) return not_a_number(text);
  if (text.back() == '%') {
    Wide n = 0;
    if (!parse_integer(text.substr(0, text.size() - 1), &n)) {
      return Error("'" + std::string(text) + "' is not a valid percentage");
    }
    return normalise(n, 100);
  }
  const size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    Wide n = 0;
    Wide d = 0;
    const std::string_view den_text = text.substr(slash + 1);
    const bool signed_den = !den_text.empty() && (den_text[0] == '+' || den_text[0] == '-');
    if (signed_den || !parse_integer(text.substr(0, slash), &n) || !parse_integer(den_text, &d)) {
      return not_a_number(text);
    }
    if (d == 0) return Error("'" + std::string(text) + "' divides by zero");
    return normalise(n, d);
  }
  return parse_decimal(text);
}

int64_t gcd_int64(int64_t a, int64_t b) {
  return static_cast<int64_t>(wide_gcd(a, b));
}

Result<int64_t> lcm_int64(int64_t a, int64_t b) {
  if (a <= 0 || b <= 0) return Error("lcm needs positive values");
  const Wide l = Wide{a} / wide_gcd(a, b) * b;
  if (!fits(l)) return overflow();
  return static_cast<int64_t>(l);
}

}  // namespace stampede
