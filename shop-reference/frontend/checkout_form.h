// The checkout input, from Online Boutique's form fields (POST /cart/checkout) or from the JSON
// API (POST /api/checkout), validated into a PlaceOrderRequest.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/http/url.h"
#include "common/result.h"
#include "demo.pb.h"

namespace shop {

// Field name (Online Boutique's form names: email, street_address, zip_code, city, state,
// country, credit_card_number, credit_card_expiration_month, credit_card_expiration_year,
// credit_card_cvv) -> raw text. Absent fields read as empty.
using CheckoutFields = std::map<std::string, std::string, std::less<>>;

// The first value of each checkout field of a form. Never fails.
CheckoutFields checkout_fields_from_form(const stampede::http::Params& form);

// Flattens {"email", "address": {street_address, city, state, country, zip_code},
// "credit_card": {credit_card_number, credit_card_cvv, credit_card_expiration_year,
// credit_card_expiration_month}}; numeric fields may be JSON integers or strings. Errors (HTTP
// 400) name the problem: "malformed JSON", "address: expected an object", "credit_card.
// credit_card_cvv: expected a string or an integer".
stampede::Result<CheckoutFields> checkout_fields_from_json(std::string_view body);

// Validates the fields (HTTP 422 on error, the message names the field and never echoes the
// card) and builds the request for `user_id` paying in `currency`. The card number is passed on
// with its spaces and dashes removed.
stampede::Result<hipstershop::PlaceOrderRequest> validate_checkout(const CheckoutFields& fields,
                                                                   const std::string& user_id,
                                                                   const std::string& currency);

// True when `text` is well-formed UTF-8 without control characters (tab excepted).
bool is_clean_text(std::string_view text);

}  // namespace shop
