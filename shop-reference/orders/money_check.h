// Validation of hipstershop::Money values the stores accept (order totals, charge amounts).
#pragma once

#include <string_view>

#include "demo.pb.h"
#include "shop-reference/orders/store_error.h"

namespace shop {

// True for three upper-case ASCII letters ("USD"); the stores do not check ISO 4217 membership.
bool is_currency_code(std::string_view code);

// kInvalidArgument, naming `what`, unless: nanos within +-999,999,999, units and nanos not of
// opposite signs, the amount not negative, and currency_code empty or a currency code.
StoreStatus check_amount(const hipstershop::Money& money, std::string_view what);

}  // namespace shop
