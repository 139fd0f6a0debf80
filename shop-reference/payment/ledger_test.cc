#include "shop-reference/payment/ledger.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <set>
#include <thread>

#include "shop-reference/orders/test_temp_dir.h"
#include "shop-reference/payment/card.h"

namespace shop {
namespace {

hipstershop::Money money(const std::string& currency, int64_t units, int32_t nanos) {
  hipstershop::Money m;
  m.set_currency_code(currency);
  m.set_units(units);
  m.set_nanos(nanos);
  return m;
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ledger = Ledger::open(":memory:", [this] { return now_.load(); });
    ASSERT_TRUE(ledger.ok()) << ledger.error().message();
    ledger_ = std::move(ledger).value();
  }

  StoreResult<ChargeOutcome> charge(const std::string& order_id, int64_t units = 10) {
    return ledger_->charge(order_id, money("USD", units, 500'000'000), kVisa, "0454");
  }

  std::atomic<int64_t> now_{1'700'000'000'000};
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(LedgerTest, ChargeIsIdempotentByOrderId) {
  auto first = charge("o1");
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_FALSE(first.value().replayed);
  EXPECT_EQ(first.value().transaction_id.size(), 36u);
  auto again = charge("o1", 99);  // a retry: the recorded charge wins, nothing new is taken
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.value().replayed);
  EXPECT_EQ(again.value().transaction_id, first.value().transaction_id);

  auto charges = ledger_->list_charges();
  ASSERT_TRUE(charges.ok());
  ASSERT_EQ(charges.value().size(), 1u);
  const Charge& c = charges.value()[0];
  EXPECT_EQ(c.order_id, "o1");
  EXPECT_EQ(c.amount.units(), 10);
  EXPECT_EQ(c.amount.nanos(), 500'000'000);
  EXPECT_EQ(c.amount.currency_code(), "USD");
  EXPECT_EQ(c.card_type, kVisa);
  EXPECT_EQ(c.card_last4, "0454");
  EXPECT_EQ(c.created_ms, now_.load());
  EXPECT_FALSE(c.refunded());
}

TEST_F(LedgerTest, ChargesWithoutOrderIdAreAlwaysNew) {
  auto a = charge("");
  auto b = charge("");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a.value().transaction_id, b.value().transaction_id);
  EXPECT_FALSE(b.value().replayed);
  EXPECT_EQ(ledger_->list_charges().value().size(), 2u);
  EXPECT_FALSE(ledger_->find_by_order("").value().has_value());
}

TEST_F(LedgerTest, RejectsInvalidMoney) {
  EXPECT_EQ(ledger_->charge("o", money("USD", 1, -1), kVisa, "1").error().kind(),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(ledger_->charge("o", money("", 1, 0), kVisa, "1").error().kind(),
            ErrorKind::kInvalidArgument);
  EXPECT_EQ(ledger_->charge("o", money("USD", -1, 0), kVisa, "1").error().kind(),
            ErrorKind::kInvalidArgument);
  EXPECT_TRUE(ledger_->list_charges().value().empty());
}

TEST_F(LedgerTest, RefundOnceThenReportTheSameRefund) {
  std::string tx = charge("o1").value().transaction_id;
  now_ += 500;
  auto refund = ledger_->refund_transaction(tx, "cancelled by user");
  ASSERT_TRUE(refund.ok()) << refund.error().message();
  EXPECT_TRUE(refund.value().refunded);
  EXPECT_EQ(refund.value().refund_id.size(), 36u);
  auto again = ledger_->refund_transaction(tx, "retry");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again.value().refunded);
  EXPECT_EQ(again.value().refund_id, refund.value().refund_id);
  auto by_order = ledger_->refund_order("o1", "retry by order");
  ASSERT_TRUE(by_order.ok());
  EXPECT_FALSE(by_order.value().refunded);
  EXPECT_EQ(by_order.value().refund_id, refund.value().refund_id);

  auto stored = ledger_->find_by_order("o1");
  ASSERT_TRUE(stored.ok() && stored.value().has_value());
  EXPECT_EQ(stored.value()->refunded_ms, now_.load());
  EXPECT_EQ(stored.value()->refund_reason, "cancelled by user");
  EXPECT_EQ(stored.value()->refund_id, refund.value().refund_id);

  auto recharge = charge("o1");
  ASSERT_FALSE(recharge.ok());
  EXPECT_EQ(recharge.error().kind(), ErrorKind::kFailedPrecondition);
  EXPECT_EQ(recharge.error().message(), "order o1 was already refunded");
}

TEST_F(LedgerTest, RefundByOrderIdOrTransaction) {
  auto nothing = ledger_->refund_order("never-charged", "compensate");
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing.value().refunded);
  EXPECT_TRUE(nothing.value().refund_id.empty());

  ASSERT_TRUE(charge("o2").ok());
  auto refund = ledger_->refund_order("o2", "compensate");
  ASSERT_TRUE(refund.ok());
  EXPECT_TRUE(refund.value().refunded);

  auto unknown = ledger_->refund_transaction("no-such-tx", "x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(ledger_->refund_transaction("", "x").error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(ledger_->refund_order("", "x").error().kind(), ErrorKind::kInvalidArgument);
}

TEST_F(LedgerTest, TotalsPerCurrency) {
  ASSERT_TRUE(ledger_->charge("a", money("USD", 1, 600'000'000), kVisa, "1").ok());
  ASSERT_TRUE(ledger_->charge("b", money("USD", 2, 700'000'000), kVisa, "1").ok());
  ASSERT_TRUE(ledger_->charge("c", money("EUR", 5, 0), kMasterCard, "2").ok());
  ASSERT_TRUE(ledger_->charge("b", money("USD", 2, 700'000'000), kVisa, "1").ok());  // replay
  ASSERT_TRUE(ledger_->refund_order("b", "r").ok());
  ASSERT_TRUE(ledger_->refund_order("b", "r").ok());  // repeat: counted once
  auto totals = ledger_->totals();
  ASSERT_TRUE(totals.ok()) << totals.error().message();
  EXPECT_EQ(totals.value().charges, 3);
  EXPECT_EQ(totals.value().refunds, 1);
  EXPECT_EQ(totals.value().charged.at("USD").units(), 4);
  EXPECT_EQ(totals.value().charged.at("USD").nanos(), 300'000'000);
  EXPECT_EQ(totals.value().charged.at("EUR").units(), 5);
  EXPECT_EQ(totals.value().refunded.at("USD").units(), 2);
  EXPECT_EQ(totals.value().refunded.at("USD").nanos(), 700'000'000);
  EXPECT_EQ(totals.value().refunded.at("EUR").units(), 0);
}

TEST(LedgerFileTest, PersistsAndOpensReadOnly) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::string tx;
  {
    auto ledger = Ledger::open(dir.path());
    ASSERT_TRUE(ledger.ok()) << ledger.error().message();
    tx = ledger.value()->charge("o1", money("USD", 3, 0), kVisa, "0454").value().transaction_id;
  }
  {
    auto ledger = Ledger::open(dir.path());
    ASSERT_TRUE(ledger.ok());
    auto replay = ledger.value()->charge("o1", money("USD", 3, 0), kVisa, "0454");
    ASSERT_TRUE(replay.ok());
    EXPECT_TRUE(replay.value().replayed);
    EXPECT_EQ(replay.value().transaction_id, tx);
  }
  auto reader = Ledger::open_read_only(dir.path());
  ASSERT_TRUE(reader.ok()) << reader.error().message();
  EXPECT_EQ(reader.value()->list_charges().value().size(), 1u);
  EXPECT_EQ(reader.value()->refund_transaction(tx, "x").error().kind(), ErrorKind::kUnavailable);

  testing::TempDir empty;
  auto missing = Ledger::open_read_only(empty.path());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("payments.db"), std::string::npos);
}

// Two replicas (two connections) charging the same orders at once take each order's money once.
TEST(LedgerFileTest, ConcurrentChargesOfOneOrderChargeOnce) {
  constexpr int kOrders = 30;
  testing::TempDir dir;
  auto a = Ledger::open(dir.path());
  auto b = Ledger::open(dir.path());
  ASSERT_TRUE(a.ok() && b.ok());
  std::latch start(2);
  std::vector<ChargeOutcome> from_a, from_b;
  auto run = [&](Ledger* ledger, std::vector<ChargeOutcome>* out) {
    start.arrive_and_wait();
    for (int i = 0; i < kOrders; ++i) {
      auto r = ledger->charge("order-" + std::to_string(i), money("USD", 1, 0), kVisa, "0454");
      out->push_back(r.ok() ? r.value() : ChargeOutcome{"error: " + r.error().message(), false});
    }
  };
  std::thread t1(run, a.value().get(), &from_a);
  std::thread t2(run, b.value().get(), &from_b);
  t1.join();
  t2.join();
  for (int i = 0; i < kOrders; ++i) {
    EXPECT_EQ(from_a.at(i).transaction_id, from_b.at(i).transaction_id) << i;
    EXPECT_NE(from_a.at(i).replayed, from_b.at(i).replayed) << i;
  }
  EXPECT_EQ(a.value()->list_charges().value().size(), static_cast<size_t>(kOrders));
}

}  // namespace
}  // namespace shop
