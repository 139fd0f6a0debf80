#include "shop-reference/frontend/checkout_form.h"

#include <gtest/gtest.h>

namespace shop {
namespace {

// Online Boutique's load generator's checkout form.
CheckoutFields boutique_fields() {
  return {{"email", "someone@example.com"},
          {"street_address", "1600 Amphitheatre Parkway"},
          {"zip_code", "94043"},
          {"city", "Mountain View"},
          {"state", "CA"},
          {"country", "United States"},
          {"credit_card_number", "4432-8015-6152-0454"},
          {"credit_card_expiration_month", "1"},
          {"credit_card_expiration_year", "2039"},
          {"credit_card_cvv", "672"}};
}

TEST(FrontendCheckoutFormTest, BuildsThePlaceOrderRequest) {
  auto request = validate_checkout(boutique_fields(), "user-1", "EUR");
  ASSERT_TRUE(request.ok()) << request.error().message();
  const auto& r = request.value();
  EXPECT_EQ(r.user_id(), "user-1");
  EXPECT_EQ(r.user_currency(), "EUR");
  EXPECT_EQ(r.email(), "someone@example.com");
  EXPECT_EQ(r.address().street_address(), "1600 Amphitheatre Parkway");
  EXPECT_EQ(r.address().zip_code(), 94043);
  EXPECT_EQ(r.address().city(), "Mountain View");
  EXPECT_EQ(r.address().state(), "CA");
  EXPECT_EQ(r.address().country(), "United States");
  EXPECT_EQ(r.credit_card().credit_card_number(), "4432801561520454");  // dashes removed
  EXPECT_EQ(r.credit_card().credit_card_expiration_month(), 1);
  EXPECT_EQ(r.credit_card().credit_card_expiration_year(), 2039);
  EXPECT_EQ(r.credit_card().credit_card_cvv(), 672);
}

TEST(FrontendCheckoutFormTest, NamesTheFirstBadField) {
  struct Case {
    const char* field;
    const char* value;
    const char* error;
  } cases[] = {
      {"email", "", "email: required"},
      {"email", "not-an-email", "email: not an email address"},
      {"street_address", "", "street_address: required"},
      {"street_address", "a\x01b", "street_address: not valid text"},
      {"zip_code", "9404x", "zip_code: must be a non-negative integer"},
      {"zip_code", "-1", "zip_code: must be a non-negative integer"},
      {"zip_code", "99999999999", "zip_code: must be a non-negative integer"},
      {"city", "", "city: required"},
      {"state", "", "state: required"},
      {"country", "\xff", "country: not valid text"},
      {"credit_card_number", "", "credit_card_number: required"},
      {"credit_card_number", "4432-abcd", "credit_card_number: must be 12 to 19 digits"},
      {"credit_card_number", "12345", "credit_card_number: must be 12 to 19 digits"},
      {"credit_card_expiration_month", "13", "credit_card_expiration_month: must be a month"},
      {"credit_card_expiration_month", "0", "credit_card_expiration_month: must be a month"},
      {"credit_card_expiration_year", "39", "credit_card_expiration_year: must be a year"},
      {"credit_card_cvv", "12", "credit_card_cvv: must be 3 or 4 digits"},
      {"credit_card_cvv", "12345", "credit_card_cvv: must be 3 or 4 digits"},
  };
  for (const auto& c : cases) {
    auto fields = boutique_fields();
    fields[c.field] = c.value;
    auto request = validate_checkout(fields, "u", "USD");
    ASSERT_FALSE(request.ok()) << c.field << "=" << c.value;
    EXPECT_EQ(request.error().message().rfind(c.error, 0), 0u)
        << request.error().message() << " for " << c.field;
  }
}

TEST(FrontendCheckoutFormTest, MissingFieldIsRequired) {
  auto fields = boutique_fields();
  fields.erase("credit_card_cvv");
  auto request = validate_checkout(fields, "u", "USD");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().message(), "credit_card_cvv: required");
}

TEST(FrontendCheckoutFormTest, ErrorsNeverEchoTheCardNumber) {
  auto fields = boutique_fields();
  fields["credit_card_number"] = "4432x8015";
  auto request = validate_checkout(fields, "u", "USD");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().message().find("4432"), std::string::npos);
}

TEST(FrontendCheckoutFormTest, ReadsOnlyTheCheckoutFieldsOfAForm) {
  auto form = stampede::http::parse_form(
      "email=a%40b.co&zip_code=1&other=x&credit_card_cvv=123&credit_card_cvv=999");
  ASSERT_TRUE(form.ok());
  auto fields = checkout_fields_from_form(form.value());
  EXPECT_EQ(fields.at("email"), "a@b.co");
  EXPECT_EQ(fields.at("credit_card_cvv"), "123");  // the first of repeated fields
  EXPECT_EQ(fields.count("other"), 0u);
}

TEST(FrontendCheckoutFormTest, FlattensTheJsonBody) {
  auto fields = checkout_fields_from_json(R"({"email": "a@b.co",
      "address": {"street_address": "1 Main St", "city": "X", "state": "Y", "country": "Z",
                  "zip_code": 94043},
      "credit_card": {"credit_card_number": "4432801561520454", "credit_card_cvv": "672",
                      "credit_card_expiration_year": 2039, "credit_card_expiration_month": 1}})");
  ASSERT_TRUE(fields.ok()) << fields.error().message();
  EXPECT_EQ(fields.value().at("zip_code"), "94043");
  EXPECT_EQ(fields.value().at("credit_card_cvv"), "672");
  EXPECT_EQ(fields.value().at("credit_card_expiration_month"), "1");
  EXPECT_TRUE(validate_checkout(fields.value(), "u", "USD").ok());
}

TEST(FrontendCheckoutFormTest, RejectsMalformedOrMistypedJson) {
  struct Case {
    const char* body;
    const char* error;
  } cases[] = {
      {"{", "malformed JSON"},
      {"[1]", "expected a JSON object"},
      {R"({"email": 5})", "email: expected a string"},
      {R"({"address": "x"})", "address: expected an object"},
      {R"({"address": {"zip_code": 1.5}})", "address.zip_code: expected a string or an integer"},
      {R"({"credit_card": {"credit_card_cvv": [1]}})",
       "credit_card.credit_card_cvv: expected a string or an integer"},
  };
  for (const auto& c : cases) {
    auto fields = checkout_fields_from_json(c.body);
    ASSERT_FALSE(fields.ok()) << c.body;
    EXPECT_EQ(fields.error().message(), c.error);
  }
}

TEST(FrontendCheckoutFormTest, MissingJsonGroupsAreValidationErrors) {
  auto fields = checkout_fields_from_json(R"({"email": "a@b.co"})");
  ASSERT_TRUE(fields.ok());
  auto request = validate_checkout(fields.value(), "u", "USD");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().message(), "street_address: required");
}

TEST(FrontendCheckoutFormTest, CleanTextAcceptsUtf8AndRejectsMalformedSequences) {
  EXPECT_TRUE(is_clean_text("Zürich 東京 🎉\tok"));
  EXPECT_FALSE(is_clean_text("bad\n"));
  EXPECT_FALSE(is_clean_text("\xc3"));              // truncated
  EXPECT_FALSE(is_clean_text("\xc0\xaf"));          // overlong
  EXPECT_FALSE(is_clean_text("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_clean_text("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_clean_text("\x80"));              // lone continuation
}

}  // namespace
}  // namespace shop
