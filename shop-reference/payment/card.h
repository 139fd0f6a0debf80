// Online Boutique's credit card rules, as its payment service applies them before a charge:
// a Luhn-valid number of an accepted type (VISA or MasterCard) that has not expired.
#pragma once

#include <cstdint>
#include <string>

#include "demo.pb.h"
#include "shop-reference/orders/clock.h"
#include "shop-reference/orders/store_error.h"

namespace shop {

// Card type names, as Online Boutique's card validator spells them (and the ledger stores them).
inline constexpr char kVisa[] = "visa";
inline constexpr char kMasterCard[] = "mastercard";

// What an accepted card is: its type (kVisa or kMasterCard) and the number's last four digits.
struct AcceptedCard {
  std::string card_type;
  std::string last4;
};

// Checks `card` against the month of `now` (UTC). The number may contain spaces and dashes, which
// are ignored ("4432-8015-6152-0454"); any other non-digit makes it invalid. Errors, all
// kInvalidArgument with Online Boutique's messages:
//   "Credit card info is invalid" (bad characters, length, Luhn or unknown prefix),
//   "Credit card info is invalid: expiration month M is outside 1..12",
//   "Sorry, we cannot process <type> credit cards. Only VISA or MasterCard is accepted."
//     (<type>: amex, dinersclub, discover, jcb),
//   "Your credit card (ending XXXX) expired on M/YYYY" (expiry month before now's month).
StoreResult<AcceptedCard> validate_card(const hipstershop::CreditCardInfo& card,
                                        const Clock& clock = system_clock_ms);

// The Luhn checksum over a string of digits (false for an empty or non-digit string).
bool luhn_valid(const std::string& digits);

}  // namespace shop
