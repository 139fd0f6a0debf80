#include "shop-reference/frontend/checkout_form.h"

#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace shop {
namespace {

using stampede::Error;
using stampede::Result;

constexpr const char* kFields[] = {"email",
                                   "street_address",
                                   "zip_code",
                                   "city",
                                   "state",
                                   "country",
                                   "credit_card_number",
                                   "credit_card_expiration_month",
                                   "credit_card_expiration_year",
                                   "credit_card_cvv"};

std::string get(const CheckoutFields& fields, std::string_view name) {
  auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

// A required text field: present, at most `max` bytes, clean UTF-8.
Result<std::string> text(const CheckoutFields& fields, std::string_view name, size_t max) {
  std::string v = get(fields, name);
  if (v.empty()) return Error(std::string(name) + ": required");
  if (v.size() > max) return Error(std::string(name) + ": longer than " + std::to_string(max));
  if (!is_clean_text(v)) return Error(std::string(name) + ": not valid text");
  return v;
}

// A required decimal integer in [min, max] (no sign, no spaces).
Result<int64_t> number(const CheckoutFields& fields, std::string_view name, int64_t min,
                       int64_t max, const char* expected) {
  std::string v = get(fields, name);
  if (v.empty()) return Error(std::string(name) + ": required");
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size() || v[0] == '-' || out < min || out > max) {
    return Error(std::string(name) + ": must be " + expected);
  }
  return out;
}

bool valid_email(const std::string& email) {
  auto at = email.find('@');
  if (at == 0 || at == std::string::npos || email.find('@', at + 1) != std::string::npos) {
    return false;
  }
  auto dot = email.find('.', at + 2);
  if (dot == std::string::npos || dot + 1 >= email.size()) return false;
  for (char c : email) {
    if (c == ' ' || c == '<' || c == '>' || c == ',' || c == ';') return false;
  }
  return true;
}

// One JSON leaf as text: strings as they are, integers in decimal; absent or null as "".
Result<std::string> leaf(const nlohmann::json& object, const std::string& path, const char* name,
                         bool numeric) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::string();
  if (it->is_string()) return it->get<std::string>();
  if (numeric && it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  if (numeric && it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return Error(path + name +
               (numeric ? ": expected a string or an integer" : ": expected a string"));
}

}  // namespace

bool is_clean_text(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
      ++i;
      continue;
    }
    int extra = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
    } else {
      return false;  // a continuation byte, an overlong 2-byte lead, or past U+10FFFF
    }
    if (s.size() - i <= static_cast<size_t>(extra)) return false;
    uint32_t cp = c & (0x7f >> (extra + 1));
    for (int k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms and UTF-16 surrogates are not UTF-8.
    if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

CheckoutFields checkout_fields_from_form(const stampede::http::Params& form) {
  CheckoutFields fields;
  for (const char* name : kFields) {
    if (auto v = form.get(name)) fields[name] = *v;
  }
  return fields;
}

Result<CheckoutFields> checkout_fields_from_json(std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error("malformed JSON");
  if (!doc.is_object()) return Error("expected a JSON object");
  CheckoutFields fields;
  auto put = [&](const nlohmann::json& object, const std::string& path, const char* name,
                 bool numeric) -> stampede::Status {
    auto v = leaf(object, path, name, numeric);
    if (!v.ok()) return v.error();
    fields[name] = v.value();
    return stampede::Status::Ok();
  };
  if (auto s = put(doc, "", "email", false); !s.ok()) return s.error();
  struct Group {
    const char* name;
    std::vector<std::pair<const char*, bool>> leaves;  // name, numeric
  } groups[] = {
      {"address",
       {{"street_address", false},
        {"city", false},
        {"state", false},
        {"country", false},
        {"zip_code", true}}},
      {"credit_card",
       {{"credit_card_number", false},
        {"credit_card_cvv", true},
        {"credit_card_expiration_year", true},
        {"credit_card_expiration_month", true}}},
  };
  for (const auto& g : groups) {
    auto it = doc.find(g.name);
    if (it == doc.end() || it->is_null()) continue;  // its fields are then missing: a 422
    if (!it->is_object()) return Error(std::string(g.name) + ": expected an object");
    for (const auto& [name, numeric] : g.leaves) {
      if (auto s = put(*it, std::string(g.name) + ".", name, numeric); !s.ok()) return s.error();
    }
  }
  return fields;
}

Result<hipstershop::PlaceOrderRequest> validate_checkout(const CheckoutFields& fields,
                                                         const std::string& user_id,
                                                         const std::string& currency) {
  auto email = text(fields, "email", 254);
  if (!email.ok()) return email.error();
  if (!valid_email(email.value())) return Error("email: not an email address");
  auto street = text(fields, "street_address", 512);
  if (!street.ok()) return street.error();
  auto zip = number(fields, "zip_code", 0, INT32_MAX, "a non-negative integer");
  if (!zip.ok()) return zip.error();
  auto city = text(fields, "city", 128);
  if (!city.ok()) return city.error();
  auto state = text(fields, "state", 128);
  if (!state.ok()) return state.error();
  auto country = text(fields, "country", 128);
  if (!country.ok()) return country.error();

  std::string card;
  for (char c : get(fields, "credit_card_number")) {
    if (c != ' ' && c != '-') card.push_back(c);
  }
  if (card.empty()) return Error("credit_card_number: required");
  bool digits = card.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || card.size() < 12 || card.size() > 19) {
    return Error("credit_card_number: must be 12 to 19 digits");
  }
  auto month = number(fields, "credit_card_expiration_month", 1, 12, "a month number 1..12");
  if (!month.ok()) return month.error();
  auto year = number(fields, "credit_card_expiration_year", 2000, 9999, "a year 2000..9999");
  if (!year.ok()) return year.error();
  auto cvv = number(fields, "credit_card_cvv", 100, 9999, "3 or 4 digits");
  if (!cvv.ok()) return cvv.error();

  hipstershop::PlaceOrderRequest request;
  request.set_user_id(user_id);
  request.set_user_currency(currency);
  request.set_email(email.value());
  auto* address = request.mutable_address();
  address->set_street_address(street.value());
  address->set_city(city.value());
  address->set_state(state.value());
  address->set_country(country.value());
  address->set_zip_code(static_cast<int32_t>(zip.value()));
  auto* cc = request.mutable_credit_card();
  cc->set_credit_card_number(card);
  cc->set_credit_card_expiration_month(static_cast<int32_t>(month.value()));
  cc->set_credit_card_expiration_year(static_cast<int32_t>(year.value()));
  cc->set_credit_card_cvv(static_cast<int32_t>(cvv.value()));
  return request;
}

}  // namespace shop
