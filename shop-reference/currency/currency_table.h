// Online Boutique's currency data and conversion algorithm (CurrencyService).
//
// Rates are fixed, EUR-based (1 EUR = rate units of the currency), copied from Online Boutique's
// currency_conversion.json. convert() reproduces its Node service bit for bit on non-negative
// amounts (IEEE doubles, as JavaScript computes). All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "demo.pb.h"

namespace shop {

// The 33 supported codes, in Online Boutique's order (EUR, USD, JPY, ...).
const std::vector<std::string>& supported_codes();

// Units of `code` per euro, or nullopt when the code is not supported.
std::optional<double> eur_rate(std::string_view code);

// `from` converted to `to_code`, via EUR, floored to whole nanos as Online Boutique does.
// A negative amount converts as the negation of its magnitude (Online Boutique's flooring is
// wrong for negatives). Errors (all INVALID_ARGUMENT): `from` invalid, from or to code not
// supported, or the result does not fit int64 units.
stampede::Result<hipstershop::Money> convert(const hipstershop::Money& from,
                                             std::string_view to_code);

}  // namespace shop
