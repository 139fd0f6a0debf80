#include "shop-reference/currency/currency_table.h"

#include <array>
#include <cmath>
#include <utility>

#include "shop-reference/common/money.h"

namespace shop {
namespace {

using stampede::Error;
using stampede::Result;

struct Rate {
  std::string_view code;
  double per_eur;
};

constexpr std::array<Rate, 33> kRates = {{
    {"EUR", 1.0},     {"USD", 1.1305},  {"JPY", 126.40},   {"BGN", 1.9558}, {"CZK", 25.592},
    {"DKK", 7.4609},  {"GBP", 0.85970}, {"HUF", 315.51},   {"PLN", 4.2996}, {"RON", 4.7463},
    {"SEK", 10.5375}, {"CHF", 1.1360},  {"ISK", 136.80},   {"NOK", 9.8040}, {"HRK", 7.4210},
    {"RUB", 74.4208}, {"TRY", 6.1247},  {"AUD", 1.6072},   {"BRL", 4.2682}, {"CAD", 1.5128},
    {"CNY", 7.5857},  {"HKD", 8.8743},  {"IDR", 15999.40}, {"ILS", 4.0875}, {"INR", 79.4320},
    {"KRW", 1275.05}, {"MXN", 21.7999}, {"MYR", 4.6289},   {"NZD", 1.6679}, {"PHP", 59.083},
    {"SGD", 1.5349},  {"THB", 36.012},  {"ZAR", 16.0583},
}};

constexpr double kFraction = 1e9;

// A JavaScript {units, nanos} pair of numbers.
struct JsAmount {
  double units;
  double nanos;
};

// Online Boutique's _carry: moves the fractional part of units into nanos and whole billions
// of nanos into units. `%` in JavaScript is fmod (sign of the dividend).
JsAmount carry(JsAmount a) {
  a.nanos += std::fmod(a.units, 1.0) * kFraction;
  a.units = std::floor(a.units) + std::floor(a.nanos / kFraction);
  a.nanos = std::fmod(a.nanos, kFraction);
  return a;
}

// JavaScript's Math.round: nearest integer, halves toward +infinity (not away from zero).
double js_round(double x) {
  const double down = std::floor(x);
  return x - down >= 0.5 ? down + 1 : down;
}

}  // namespace

const std::vector<std::string>& supported_codes() {
  static const std::vector<std::string> codes = [] {
    std::vector<std::string> out;
    for (const Rate& r : kRates) out.emplace_back(r.code);
    return out;
  }();
  return codes;
}

std::optional<double> eur_rate(std::string_view code) {
  for (const Rate& r : kRates) {
    if (r.code == code) return r.per_eur;
  }
  return std::nullopt;
}

Result<hipstershop::Money> convert(const hipstershop::Money& from, std::string_view to_code) {
  if (auto s = validate(from); !s.ok()) return s.error().with_context("convert: from");
  const auto from_rate = eur_rate(from.currency_code());
  if (!from_rate) {
    return Error("convert: unsupported currency code '" + from.currency_code() + "' (from)");
  }
  const auto to_rate = eur_rate(to_code);
  if (!to_rate) {
    return Error("convert: unsupported currency code '" + std::string(to_code) + "' (to_code)");
  }
  const bool negative = from.units() < 0 || from.nanos() < 0;
  // Magnitudes as doubles: int64 min has no int64 magnitude, and JavaScript holds doubles anyway.
  const double units = std::fabs(static_cast<double>(from.units()));
  const double nanos = std::fabs(static_cast<double>(from.nanos()));

  JsAmount euros = carry({units / *from_rate, nanos / *from_rate});
  euros.nanos = js_round(euros.nanos);
  JsAmount result = carry({euros.units * *to_rate, euros.nanos * *to_rate});
  result.units = std::floor(result.units);
  result.nanos = std::floor(result.nanos);

  // 2^63 is exact in a double; anything at or past it does not fit (and casting it is UB).
  if (!(result.units < 9223372036854775808.0)) {
    return Error("convert: " + to_string(from) + " in " + std::string(to_code) +
                 " overflows int64 units");
  }
  auto out_units = static_cast<int64_t>(result.units);
  auto out_nanos = static_cast<int32_t>(result.nanos);
  if (negative) {
    out_units = -out_units;
    out_nanos = -out_nanos;
  }
  return make_money(to_code, out_units, out_nanos);
}

}  // namespace shop
