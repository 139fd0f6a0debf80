#include "shop-reference/orders/money_check.h"

#include <string>

namespace shop {

bool is_currency_code(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

StoreStatus check_amount(const hipstershop::Money& money, std::string_view what) {
  auto invalid = [&](const std::string& why) {
    return StoreError(ErrorKind::kInvalidArgument, std::string(what) + ": " + why);
  };
  if (!money.currency_code().empty() && !is_currency_code(money.currency_code())) {
    return invalid("currency code '" + money.currency_code() + "' is not three letters A-Z");
  }
  if (money.nanos() > 999'999'999 || money.nanos() < -999'999'999) {
    return invalid("nanos " + std::to_string(money.nanos()) + " outside +-999999999");
  }
  if ((money.units() > 0 && money.nanos() < 0) || (money.units() < 0 && money.nanos() > 0)) {
    return invalid("units and nanos have opposite signs");
  }
  if (money.units() < 0 || money.nanos() < 0) return invalid("amount is negative");
  return {};
}

}  // namespace shop
