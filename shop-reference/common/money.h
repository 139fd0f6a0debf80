// Arithmetic and formatting on hipstershop::Money (currency code, whole units, nanos).
//
// A valid Money has a 3-letter upper-case code, nanos in [-999999999, 999999999] and nanos of
// the same sign as units (either may be zero). Every function that can fail returns an Error
// that a gRPC handler maps to INVALID_ARGUMENT; none throws. All functions are pure and
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "demo.pb.h"

namespace shop {

inline constexpr int32_t kNanosPerUnit = 1'000'000'000;

// A Money with exactly these fields; no validation (see is_valid / validate).
hipstershop::Money make_money(std::string_view currency_code, int64_t units, int32_t nanos);

// True when `m` is valid (see the file comment).
bool is_valid(const hipstershop::Money& m);
// Ok when valid; else an Error naming the bad field ("money: nanos 1000000000 out of range ...").
stampede::Status validate(const hipstershop::Money& m);

// a + b, normalized (nanos carried into units, signs agreeing). Errors: either invalid,
// currency codes differ, or the units overflow int64.
stampede::Result<hipstershop::Money> sum(const hipstershop::Money& a, const hipstershop::Money& b);

// m * quantity, normalized. Errors: m invalid, or the result overflows int64 units.
stampede::Result<hipstershop::Money> multiply(const hipstershop::Money& m, int64_t quantity);

// True when units and nanos are both zero (the code is ignored).
bool is_zero(const hipstershop::Money& m);
// Same code, units and nanos.
bool equal(const hipstershop::Money& a, const hipstershop::Money& b);

// "USD 19.99": code, space, optional '-', units, '.', two digits of nanos truncated (like
// Online Boutique's renderMoney, nanos / 10^7), e.g. nanos 5 -> "USD 0.00", -1.5 -> "USD -1.50".
std::string to_string(const hipstershop::Money& m);

// Whole cents, truncated toward zero; saturates at the int64 limits (for metrics).
int64_t to_cents(const hipstershop::Money& m);
// units + nanos / 10^9 as a double (for metrics; loses precision past 2^53).
double to_double(const hipstershop::Money& m);

}  // namespace shop
