#include "shop-reference/common/money.h"

#include <cstdio>
#include <limits>

namespace shop {
namespace {

using stampede::Error;
using stampede::Result;
using stampede::Status;

// Amounts are computed in 128-bit nanos: every valid Money fits (|units| < 2^63, so
// |units * 10^9 + nanos| < 2^93), sums cannot overflow, and truncating division splits a total
// back into units and nanos that carry the same sign, which is exactly the normalized form.
using Nanos = __int128;

Nanos total_nanos(const hipstershop::Money& m) {
  return static_cast<Nanos>(m.units()) * kNanosPerUnit + m.nanos();
}

Result<hipstershop::Money> from_total(const std::string& code, Nanos total, const char* what) {
  const Nanos units = total / kNanosPerUnit;
  if (units > std::numeric_limits<int64_t>::max() || units < std::numeric_limits<int64_t>::min()) {
    return Error(std::string("money: ") + what + " overflows int64 units");
  }
  return make_money(code, static_cast<int64_t>(units), static_cast<int32_t>(total % kNanosPerUnit));
}

bool valid_code(const std::string& code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

}  // namespace

hipstershop::Money make_money(std::string_view currency_code, int64_t units, int32_t nanos) {
  hipstershop::Money m;
  m.set_currency_code(std::string(currency_code));
  m.set_units(units);
  m.set_nanos(nanos);
  return m;
}

bool is_valid(const hipstershop::Money& m) {
  return validate(m).ok();
}

Status validate(const hipstershop::Money& m) {
  if (!valid_code(m.currency_code())) {
    return Error("money: currency code '" + m.currency_code() + "' is not 3 upper-case letters");
  }
  if (m.nanos() <= -kNanosPerUnit || m.nanos() >= kNanosPerUnit) {
    return Error("money: nanos " + std::to_string(m.nanos()) +
                 " out of range [-999999999, 999999999]");
  }
  if ((m.units() > 0 && m.nanos() < 0) || (m.units() < 0 && m.nanos() > 0)) {
    return Error("money: units " + std::to_string(m.units()) + " and nanos " +
                 std::to_string(m.nanos()) + " have different signs");
  }
  return Status::Ok();
}

Result<hipstershop::Money> sum(const hipstershop::Money& a, const hipstershop::Money& b) {
  if (Status s = validate(a); !s.ok()) return s.error().with_context("sum: left operand");
  if (Status s = validate(b); !s.ok()) return s.error().with_context("sum: right operand");
  if (a.currency_code() != b.currency_code()) {
    return Error("money: cannot add " + a.currency_code() + " and " + b.currency_code());
  }
  return from_total(a.currency_code(), total_nanos(a) + total_nanos(b), "sum");
}

Result<hipstershop::Money> multiply(const hipstershop::Money& m, int64_t quantity) {
  if (Status s = validate(m); !s.ok()) return s.error().with_context("multiply");
  Nanos product = 0;
  // |total| < 2^93 and |quantity| <= 2^63 can exceed 2^127, so even 128 bits need the check.
  if (__builtin_mul_overflow(total_nanos(m), static_cast<Nanos>(quantity), &product)) {
    return Error("money: multiply by " + std::to_string(quantity) + " overflows int64 units");
  }
  return from_total(m.currency_code(), product, "multiply");
}

bool is_zero(const hipstershop::Money& m) {
  return m.units() == 0 && m.nanos() == 0;
}

bool equal(const hipstershop::Money& a, const hipstershop::Money& b) {
  return a.currency_code() == b.currency_code() && a.units() == b.units() && a.nanos() == b.nanos();
}

std::string to_string(const hipstershop::Money& m) {
  const bool negative = m.units() < 0 || m.nanos() < 0;
  // Magnitudes in unsigned arithmetic: -INT64_MIN does not fit in int64.
  const uint64_t units =
      m.units() < 0 ? 0 - static_cast<uint64_t>(m.units()) : static_cast<uint64_t>(m.units());
  const int64_t nanos = m.nanos() < 0 ? -static_cast<int64_t>(m.nanos()) : m.nanos();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%llu.%02lld", negative ? "-" : "",
                static_cast<unsigned long long>(units),
                static_cast<long long>((nanos / 10'000'000) % 100));
  return m.currency_code() + " " + buf;
}

int64_t to_cents(const hipstershop::Money& m) {
  const Nanos cents = total_nanos(m) / 10'000'000;
  if (cents > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (cents < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(cents);
}

double to_double(const hipstershop::Money& m) {
  return static_cast<double>(m.units()) + static_cast<double>(m.nanos()) / kNanosPerUnit;
}

}  // namespace shop
