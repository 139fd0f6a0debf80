#include "shop-reference/payment/card.h"

#include <gtest/gtest.h>

#include <chrono>

namespace shop {
namespace {

using namespace std::chrono;

// A clock stopped at the given UTC instant.
Clock at(year_month_day day, milliseconds since_midnight = milliseconds(0)) {
  int64_t ms =
      duration_cast<milliseconds>((sys_days(day) + since_midnight).time_since_epoch()).count();
  return [ms] { return ms; };
}

const Clock kJune2024 = at(year(2024) / 6 / 15);

hipstershop::CreditCardInfo card(const std::string& number, int month = 1, int year = 2030) {
  hipstershop::CreditCardInfo c;
  c.set_credit_card_number(number);
  c.set_credit_card_cvv(672);
  c.set_credit_card_expiration_month(month);
  c.set_credit_card_expiration_year(year);
  return c;
}

std::string error_of(const hipstershop::CreditCardInfo& c, const Clock& clock = kJune2024) {
  StoreResult<AcceptedCard> r = validate_card(c, clock);
  if (r.ok()) return "ok";
  EXPECT_EQ(r.error().kind(), ErrorKind::kInvalidArgument);
  return r.error().message();
}

TEST(CardTest, AcceptsVisaAndMasterCardWithSeparators) {
  for (const char* number : {"4432-8015-6152-0454", "4432801561520454", "4432 8015 6152 0454"}) {
    auto r = validate_card(card(number), kJune2024);
    ASSERT_TRUE(r.ok()) << number << ": " << r.error().message();
    EXPECT_EQ(r.value().card_type, kVisa);
    EXPECT_EQ(r.value().last4, "0454");
  }
  auto mc = validate_card(card("5555555555554444"), kJune2024);
  ASSERT_TRUE(mc.ok());
  EXPECT_EQ(mc.value().card_type, kMasterCard);
  EXPECT_EQ(mc.value().last4, "4444");
  auto mc2 = validate_card(card("2223003122003222"), kJune2024);  // 2-series MasterCard
  ASSERT_TRUE(mc2.ok()) << mc2.error().message();
  EXPECT_EQ(mc2.value().card_type, kMasterCard);
  EXPECT_EQ(validate_card(card("4111111111111111"), kJune2024).value().card_type, kVisa);
}

TEST(CardTest, RejectsOtherBrandsByName) {
  EXPECT_EQ(error_of(card("378282246310005")),
            "Sorry, we cannot process amex credit cards. Only VISA or MasterCard is accepted.");
  EXPECT_EQ(error_of(card("6011111111111117")),
            "Sorry, we cannot process discover credit cards. Only VISA or MasterCard is accepted.");
  EXPECT_EQ(error_of(card("3566002020360505")),
            "Sorry, we cannot process jcb credit cards. Only VISA or MasterCard is accepted.");
  EXPECT_EQ(error_of(card("30569309025904")),
            "Sorry, we cannot process dinersclub credit cards. Only VISA or MasterCard is "
            "accepted.");
}

TEST(CardTest, RejectsInvalidNumbers) {
  const char* kInvalid = "Credit card info is invalid";
  EXPECT_EQ(error_of(card("4432801561520455")), kInvalid);     // Luhn fails
  EXPECT_EQ(error_of(card("4432_8015_6152_0454")), kInvalid);  // other separators
  EXPECT_EQ(error_of(card("")), kInvalid);
  EXPECT_EQ(error_of(card("0")), kInvalid);
  EXPECT_EQ(error_of(card("4242424242424242424242")), kInvalid);  // too long
  EXPECT_EQ(error_of(card("5555555555554444000")), kInvalid);     // MasterCard is 16 digits
  EXPECT_EQ(error_of(card("1234567812345670")), kInvalid);        // Luhn-valid, no brand
  EXPECT_EQ(error_of(card("4432\xff"
                          "8015")),
            kInvalid);
}

TEST(CardTest, MonthMustBeOneToTwelve) {
  EXPECT_EQ(error_of(card("4432801561520454", 0, 2030)),
            "Credit card info is invalid: expiration month 0 is outside 1..12");
  EXPECT_EQ(error_of(card("4432801561520454", 13, 2030)),
            "Credit card info is invalid: expiration month 13 is outside 1..12");
  EXPECT_EQ(error_of(card("4432801561520454", 12, 2030)), "ok");
}

TEST(CardTest, ExpiresAfterItsMonth) {
  EXPECT_EQ(error_of(card("4432-8015-6152-0454", 6, 2024)), "ok");  // the current month
  EXPECT_EQ(error_of(card("4432-8015-6152-0454", 7, 2024)), "ok");
  EXPECT_EQ(error_of(card("4432-8015-6152-0454", 5, 2024)),
            "Your credit card (ending 0454) expired on 5/2024");
  EXPECT_EQ(error_of(card("5555555555554444", 12, 2023)),
            "Your credit card (ending 4444) expired on 12/2023");
  EXPECT_EQ(error_of(card("5555555555554444", 1, 2025)), "ok");
  // The boundary instant: May cards are good until midnight UTC at the start of June 1st.
  Clock last_ms_of_may = at(year(2024) / 5 / 31, hours(24) - milliseconds(1));
  Clock first_ms_of_june = at(year(2024) / 6 / 1);
  EXPECT_EQ(error_of(card("4432801561520454", 5, 2024), last_ms_of_may), "ok");
  EXPECT_EQ(error_of(card("4432801561520454", 5, 2024), first_ms_of_june),
            "Your credit card (ending 0454) expired on 5/2024");
  // December to January crosses a year.
  Clock january = at(year(2025) / 1 / 1);
  EXPECT_EQ(error_of(card("4432801561520454", 12, 2024), january),
            "Your credit card (ending 0454) expired on 12/2024");
  EXPECT_EQ(error_of(card("4432801561520454", 1, 2025), january), "ok");
}

TEST(CardTest, Luhn) {
  EXPECT_TRUE(luhn_valid("79927398713"));
  EXPECT_FALSE(luhn_valid("79927398710"));
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("7992739871a"));
  EXPECT_TRUE(luhn_valid("0"));
}

}  // namespace
}  // namespace shop
