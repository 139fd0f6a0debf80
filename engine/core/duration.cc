#include "engine/core/duration.h"

#include <cstdint>
#include <limits>

namespace stampede {
namespace {

constexpr uint64_t kMaxNanos = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
// Fraction digits past this many are ignored: 10^18 still fits a uint64 and is far below 1 ns.
constexpr int kMaxFractionDigits = 18;

struct Unit {
  std::string_view name;
  uint64_t nanos;
};

// "µs" is U+00B5 (micro sign, what Go prints); "μs" is U+03BC (Greek mu). Go accepts both.
constexpr Unit kUnits[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xC2\xB5s", 1000},
    {"\xCE\xBCs", 1000},
    {"ms", 1000 * 1000},
    {"s", 1000ull * 1000 * 1000},
    {"m", 60ull * 1000 * 1000 * 1000},
    {"h", 3600ull * 1000 * 1000 * 1000},
    {"d", 86400ull * 1000 * 1000 * 1000},
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

Error malformed(std::string_view text) {
  return Error("malformed duration '" + std::string(text) + "' (expected e.g. 30s, 1m30s, 500ms)");
}

Error too_large(std::string_view text) {
  return Error("duration '" + std::string(text) + "' is too large (max " +
               format_duration(std::numeric_limits<int64_t>::max()) + ")");
}

// One "number" of the grammar, split so it can be scaled exactly by any unit.
struct Number {
  uint64_t whole = 0;
  uint64_t fraction = 0;  // fraction / scale is the fractional part
  uint64_t scale = 1;
  bool whole_overflow = false;
};

// Reads a number at text[*pos]; returns false if there is none (no digit before or after '.').
bool read_number(std::string_view text, size_t* pos, Number* out) {
  size_t i = *pos;
  bool any_digit = false;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    any_digit = true;
    const uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (out->whole > (kMaxNanos - digit) / 10) {
      out->whole_overflow = true;
    } else if (!out->whole_overflow) {
      out->whole = out->whole * 10 + digit;
    }
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    int digits = 0;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      any_digit = true;
      if (digits < kMaxFractionDigits) {
        out->fraction = out->fraction * 10 + static_cast<uint64_t>(text[i] - '0');
        out->scale *= 10;
        ++digits;
      }
    }
  }
  *pos = i;
  return any_digit;
}

// number × unit in nanoseconds; false on overflow past int64.
bool scale_number(const Number& n, uint64_t unit, uint64_t* out) {
  if (n.whole_overflow || n.whole > kMaxNanos / unit) return false;
  // 128-bit so that fraction × unit cannot wrap before the division (both are below 10^19).
  const unsigned __int128 frac =
      static_cast<unsigned __int128>(n.fraction) * unit / static_cast<unsigned __int128>(n.scale);
  const unsigned __int128 total = static_cast<unsigned __int128>(n.whole) * unit + frac;
  if (total > kMaxNanos) return false;
  *out = static_cast<uint64_t>(total);
  return true;
}

// Appends v / 10^digits as ".ddd" without trailing zeros (nothing if the fraction is zero) and
// returns the integer part.
uint64_t append_fraction(std::string* out, uint64_t v, int digits) {
  char buf[24];
  int n = 0;
  bool printing = false;
  for (int i = 0; i < digits; ++i) {
    const char digit = static_cast<char>('0' + v % 10);
    printing = printing || digit != '0';
    if (printing) buf[n++] = digit;
    v /= 10;
  }
  if (printing) {
    out->push_back('.');
    while (n > 0) out->push_back(buf[--n]);
  }
  return v;
}

}  // namespace

Result<Nanos> parse_duration(std::string_view text) {
  if (text.empty()) return Error("empty duration (expected e.g. 30s, 1m30s, 500ms)");
  size_t pos = 0;
  if (text[0] == '-') {
    // Report a negative value as such, but only if the rest is a well-formed duration.
    Result<Nanos> magnitude = parse_duration(text.substr(1));
    if (!magnitude.ok() || (text.size() > 1 && text[1] == '-')) return malformed(text);
    if (magnitude.value() == 0) return Nanos{0};
    return Error("negative duration '" + std::string(text) + "' (must be 0 or more)");
  }
  if (text[0] == '+') pos = 1;

  uint64_t total = 0;
  bool first = true;
  while (pos < text.size()) {
    Number number;
    if (!read_number(text, &pos, &number)) return malformed(text);
    const size_t unit_start = pos;
    while (pos < text.size() && !is_digit(text[pos]) && text[pos] != '.') ++pos;
    const std::string_view unit_name = text.substr(unit_start, pos - unit_start);

    uint64_t unit = 0;
    if (unit_name.empty()) {
      // Only a whole string that is one bare number may omit the unit.
      if (!first) return malformed(text);
      unit = static_cast<uint64_t>(kBareNumberUnit);
    } else {
      for (const Unit& u : kUnits) {
        if (u.name == unit_name) unit = u.nanos;
      }
      if (unit == 0) return malformed(text);
    }
    uint64_t nanos = 0;
    if (!scale_number(number, unit, &nanos)) return too_large(text);
    if (nanos > kMaxNanos - total) return too_large(text);
    total += nanos;
    first = false;
    if (unit_name.empty() && pos < text.size()) return malformed(text);
  }
  if (first) return malformed(text);  // just "+"
  return static_cast<Nanos>(total);
}

std::string format_duration(Nanos d) {
  if (d == 0) return "0s";
  // Work on the magnitude as uint64 so that INT64_MIN formats correctly.
  const bool negative = d < 0;
  uint64_t u = negative ? ~static_cast<uint64_t>(d) + 1 : static_cast<uint64_t>(d);

  std::string out;
  if (negative) out.push_back('-');
  if (u < static_cast<uint64_t>(kNanosPerSecond)) {
    int digits = 0;
    std::string_view unit;
    if (u < static_cast<uint64_t>(kNanosPerMicro)) {
      unit = "ns";
    } else if (u < static_cast<uint64_t>(kNanosPerMilli)) {
      digits = 3;
      unit = "\xC2\xB5s";
    } else {
      digits = 6;
      unit = "ms";
    }
    std::string fraction;
    const uint64_t whole = append_fraction(&fraction, u, digits);
    out += std::to_string(whole) + fraction;
    out += unit;
    return out;
  }
  std::string fraction;
  uint64_t seconds = append_fraction(&fraction, u, 9);
  const uint64_t hours = seconds / 3600;
  const uint64_t minutes = seconds / 60 % 60;
  seconds %= 60;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  out += std::to_string(seconds) + fraction + "s";
  return out;
}

}  // namespace stampede
