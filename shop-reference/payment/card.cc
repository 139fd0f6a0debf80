#include "shop-reference/payment/card.h"

#include <chrono>
#include <string_view>

namespace shop {
namespace {

constexpr char kInvalid[] = "Credit card info is invalid";

StoreError invalid_card(const std::string& why = "") {
  return StoreError(ErrorKind::kInvalidArgument, why.empty() ? kInvalid : kInvalid + (": " + why));
}

// Integer value of the first `n` digits (the number is known to be all digits and long enough).
int prefix(const std::string& digits, size_t n) {
  int value = 0;
  for (size_t i = 0; i < n; ++i) value = value * 10 + (digits[i] - '0');
  return value;
}

bool between(int value, int low, int high) {
  return value >= low && value <= high;
}

// The brand for a number by its IIN prefix and length; "" when none matches. Ranges as in the
// card-validator package Online Boutique's payment service uses.
std::string card_type(const std::string& d) {
  size_t n = d.size();
  if (d[0] == '4') return (n == 13 || n == 16 || n == 19) ? kVisa : "";
  if (between(prefix(d, 2), 51, 55) || between(prefix(d, 4), 2221, 2720)) {
    return n == 16 ? kMasterCard : "";
  }
  if (prefix(d, 2) == 34 || prefix(d, 2) == 37) return n == 15 ? "amex" : "";
  bool long_enough = n >= 14 && n <= 19;
  if (between(prefix(d, 3), 300, 305) || prefix(d, 2) == 36 || prefix(d, 2) == 38 ||
      prefix(d, 2) == 39) {
    return long_enough ? "dinersclub" : "";
  }
  if (prefix(d, 4) == 6011 || prefix(d, 2) == 65 || between(prefix(d, 3), 644, 649) ||
      between(prefix(d, 6), 622126, 622925)) {
    return n >= 16 ? "discover" : "";
  }
  if (between(prefix(d, 4), 3528, 3589)) return n >= 16 ? "jcb" : "";
  return "";
}

}  // namespace

bool luhn_valid(const std::string& digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool double_it = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (double_it) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

StoreResult<AcceptedCard> validate_card(const hipstershop::CreditCardInfo& card,
                                        const Clock& clock) {
  // Spaces and dashes are how people (and Online Boutique's load generator) group the digits.
  std::string digits;
  for (char c : card.credit_card_number()) {
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') return invalid_card();
    digits.push_back(c);
  }
  // 12..19 digits covers every brand; the bound also keeps prefix() within the string.
  if (digits.size() < 12 || digits.size() > 19 || !luhn_valid(digits)) return invalid_card();
  std::string type = card_type(digits);
  if (type.empty()) return invalid_card();
  if (type != kVisa && type != kMasterCard) {
    return StoreError(ErrorKind::kInvalidArgument, "Sorry, we cannot process " + type +
                                                       " credit cards. Only VISA or MasterCard "
                                                       "is accepted.");
  }
  int month = card.credit_card_expiration_month();
  int year = card.credit_card_expiration_year();
  if (month < 1 || month > 12) {
    return invalid_card("expiration month " + std::to_string(month) + " is outside 1..12");
  }
  using namespace std::chrono;
  sys_days today = floor<days>(sys_time<milliseconds>(milliseconds(clock())));
  year_month_day ymd(today);
  int64_t now_months = int64_t{static_cast<int>(ymd.year())} * 12 +
                       static_cast<int64_t>(static_cast<unsigned>(ymd.month()));
  // A card is good through the last day of its expiry month.
  std::string last4 = digits.substr(digits.size() - 4);
  if (int64_t{year} * 12 + month < now_months) {
    return StoreError(ErrorKind::kInvalidArgument, "Your credit card (ending " + last4 +
                                                       ") expired on " + std::to_string(month) +
                                                       "/" + std::to_string(year));
  }
  return AcceptedCard{type, last4};
}

}  // namespace shop
