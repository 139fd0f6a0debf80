#include "shop-reference/audit/audit.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "shop-reference/orders/order_store.h"
#include "shop-reference/orders/test_temp_dir.h"
#include "shop-reference/payment/card.h"

namespace shop {
namespace {

hipstershop::Money usd(int64_t units, int32_t nanos = 0) {
  hipstershop::Money m;
  m.set_currency_code("USD");
  m.set_units(units);
  m.set_nanos(nanos);
  return m;
}

// A data dir with both stores open, filled through their public APIs as the saga would.
class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    auto orders = OrderStore::open(dir_.path());
    auto ledger = Ledger::open(dir_.path());
    ASSERT_TRUE(orders.ok()) << orders.error().message();
    ASSERT_TRUE(ledger.ok()) << ledger.error().message();
    orders_ = std::move(orders).value();
    ledger_ = std::move(ledger).value();
  }

  void begin(const std::string& id, hipstershop::Money total = usd(20, 500'000'000)) {
    hipstershop::BeginOrderRequest r;
    r.set_order_id(id);
    r.set_user_id("u");
    r.set_currency_code("USD");
    *r.mutable_total() = total;
    ASSERT_TRUE(orders_->begin(r).ok());
  }
  std::string charge(const std::string& order_id,
                     hipstershop::Money amount = usd(20, 500'000'000)) {
    auto charged = ledger_->charge(order_id, amount, kVisa, "0454");
    EXPECT_TRUE(charged.ok()) << charged.error().message();
    return charged.ok() ? charged.value().transaction_id : "";
  }
  void advance(const std::string& id, hipstershop::OrderStatus to, const std::string& tx = "") {
    auto moved = orders_->advance(id, to, tx, "track-" + id, "");
    ASSERT_TRUE(moved.ok()) << moved.error().message();
  }
  void refund(const std::string& order_id) {
    auto refunded = ledger_->refund_order(order_id, "test");
    ASSERT_TRUE(refunded.ok() && refunded.value().refunded);
  }
  // A complete, paid order.
  void place(const std::string& id) {
    begin(id);
    std::string tx = charge(id);
    advance(id, hipstershop::CHARGED, tx);
    advance(id, hipstershop::SHIPPED);
    advance(id, hipstershop::PLACED);
  }

  AuditReport run() {
    auto report = audit(dir_.path());
    EXPECT_TRUE(report.ok()) << report.error().message();
    return report.ok() ? report.value() : AuditReport{};
  }
  // The violations of one kind, as "order_id|transaction_id".
  static std::vector<std::string> of_kind(const AuditReport& report, ViolationKind kind) {
    std::vector<std::string> out;
    for (const Violation& v : report.violations) {
      if (v.kind == kind) out.push_back(v.order_id + "|" + v.transaction_id);
    }
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<OrderStore> orders_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(AuditTest, ConsistentShopIsClean) {
  place("placed");
  place("cancelled");
  advance("cancelled", hipstershop::CANCELLING);
  refund("cancelled");
  advance("cancelled", hipstershop::CANCELLED);
  begin("compensated");  // charged, shipping failed, refunded
  advance("compensated", hipstershop::CHARGED, charge("compensated"));
  refund("compensated");
  advance("compensated", hipstershop::FAILED);
  begin("declined");  // the card was declined: no charge at all
  advance("declined", hipstershop::FAILED);

  AuditReport report = run();  // the stores are still open, as in a running shop
  EXPECT_TRUE(report.clean()) << render_text(report);
  EXPECT_EQ(report.orders, 4);
  EXPECT_EQ(report.orders_by_status,
            (std::map<std::string, int64_t>{{"PLACED", 1}, {"CANCELLED", 1}, {"FAILED", 2}}));
  EXPECT_EQ(report.charges, 3);
  EXPECT_EQ(report.refunds, 2);
  std::string text = render_text(report);
  EXPECT_NE(text.find("orders: 4 (CANCELLED 1, FAILED 2, PLACED 1)"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("audit: clean\n")) << text;
  nlohmann::json json = nlohmann::json::parse(render_json(report));
  EXPECT_EQ(json["clean"], true);
  EXPECT_EQ(json["counts"]["orders"], 4);
  EXPECT_EQ(json["counts"]["orders_by_status"]["FAILED"], 2);
  EXPECT_EQ(json["counts"]["charges"], 3);
  EXPECT_EQ(json["counts"]["refunds"], 2);
  EXPECT_TRUE(json["violations"].empty());
}

TEST_F(AuditTest, ChargeWithoutOrder) {
  place("ok");
  std::string anonymous = charge("");  // an Online Boutique checkout names no order
  std::string ghost = charge("ghost");
  std::string refunded_ghost = charge("refunded-ghost");
  refund("refunded-ghost");  // refunded: no money held, not a violation
  AuditReport report = run();
  EXPECT_EQ(of_kind(report, ViolationKind::kChargeWithoutOrder),
            (std::vector<std::string>{"|" + anonymous, "ghost|" + ghost}));
  EXPECT_EQ(report.violations.size(), 2u);
  std::string text = render_text(report);
  EXPECT_NE(text.find("charge_without_order: order ghost, transaction " + ghost + ": "),
            std::string::npos)
      << text;
  EXPECT_TRUE(text.ends_with("audit: 2 violation(s)\n")) << text;
}

TEST_F(AuditTest, ChargeForUnplacedOrder) {
  begin("failed");
  std::string failed_tx = charge("failed");
  advance("failed", hipstershop::CHARGED, failed_tx);
  advance("failed", hipstershop::FAILED);  // failed without the refund
  begin("stuck");
  std::string stuck_tx = charge("stuck");  // charged, the saga never recorded it
  AuditReport report = run();
  EXPECT_EQ(of_kind(report, ViolationKind::kChargeForUnplacedOrder),
            (std::vector<std::string>{"failed|" + failed_tx, "stuck|" + stuck_tx}));
  EXPECT_EQ(report.violations.size(), 2u);
  EXPECT_NE(report.violations[1].explanation.find("PENDING (still in flight)"), std::string::npos);
}

TEST_F(AuditTest, CancelledNotRefunded) {
  place("unrefunded");
  advance("unrefunded", hipstershop::CANCELLED);
  begin("never-charged");  // a forged history: cancelled without any charge
  advance("never-charged", hipstershop::CHARGED, "tx-from-nowhere");
  advance("never-charged", hipstershop::SHIPPED);
  advance("never-charged", hipstershop::PLACED);
  advance("never-charged", hipstershop::CANCELLED);
  AuditReport report = run();
  auto tx = ledger_->find_by_order("unrefunded").value()->transaction_id;
  EXPECT_EQ(of_kind(report, ViolationKind::kCancelledNotRefunded),
            (std::vector<std::string>{"unrefunded|" + tx, "never-charged|"}));
  // The unrefunded money is also held for an order that is not placed.
  EXPECT_EQ(of_kind(report, ViolationKind::kChargeForUnplacedOrder),
            (std::vector<std::string>{"unrefunded|" + tx}));
}

TEST_F(AuditTest, PlacedWithoutCharge) {
  begin("unpaid");
  advance("unpaid", hipstershop::CHARGED, "tx-lost");
  advance("unpaid", hipstershop::SHIPPED);
  advance("unpaid", hipstershop::PLACED);
  place("refunded");
  refund("refunded");
  AuditReport report = run();
  auto tx = ledger_->find_by_order("refunded").value()->transaction_id;
  EXPECT_EQ(of_kind(report, ViolationKind::kPlacedWithoutCharge),
            (std::vector<std::string>{"unpaid|tx-lost", "refunded|" + tx}));
  EXPECT_EQ(report.violations.size(), 2u);
}

TEST_F(AuditTest, AmountMismatch) {
  begin("short", usd(20, 500'000'000));
  std::string short_tx = charge("short", usd(20, 400'000'000));
  advance("short", hipstershop::CHARGED, short_tx);
  advance("short", hipstershop::SHIPPED);
  advance("short", hipstershop::PLACED);
  begin("euros", usd(5));
  hipstershop::Money eur = usd(5);
  eur.set_currency_code("EUR");
  std::string eur_tx = charge("euros", eur);
  advance("euros", hipstershop::CHARGED, eur_tx);
  advance("euros", hipstershop::SHIPPED);
  advance("euros", hipstershop::PLACED);
  AuditReport report = run();
  EXPECT_EQ(of_kind(report, ViolationKind::kAmountMismatch),
            (std::vector<std::string>{"short|" + short_tx, "euros|" + eur_tx}));
  ASSERT_EQ(report.violations.size(), 2u);
  EXPECT_EQ(report.violations[0].explanation, "charged USD 20.40 but the order totals USD 20.50");
  EXPECT_EQ(report.violations[1].explanation, "charged EUR 5.00 but the order totals USD 5.00");
  nlohmann::json json = nlohmann::json::parse(render_json(report));
  EXPECT_EQ(json["clean"], false);
  EXPECT_EQ(json["violations"][0]["kind"], "amount_mismatch");
  EXPECT_EQ(json["violations"][0]["order_id"], "short");
  EXPECT_EQ(json["violations"][0]["transaction_id"], short_tx);
}

TEST(AuditFilesTest, MissingOrUnreadableFilesAreNamed) {
  testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto none = audit(dir.path());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message().find(dir.path() + "/orders.db"), std::string::npos)
      << none.error().message();
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/orders.db"));  // read-only: nothing made

  ASSERT_TRUE(OrderStore::open(dir.path()).ok());
  auto no_payments = audit(dir.path());
  ASSERT_FALSE(no_payments.ok());
  EXPECT_NE(no_payments.error().message().find(dir.path() + "/payments.db"), std::string::npos)
      << no_payments.error().message();
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/payments.db"));

  std::ofstream(dir.path() + "/payments.db") << "this is not a database, just some text\n";
  auto garbage = audit(dir.path());
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message().find("payments.db"), std::string::npos)
      << garbage.error().message();

  ASSERT_TRUE(std::filesystem::remove(dir.path() + "/payments.db"));
  ASSERT_TRUE(Ledger::open(dir.path()).ok());
  auto empty = audit(dir.path());
  ASSERT_TRUE(empty.ok()) << empty.error().message();
  EXPECT_TRUE(empty.value().clean());
  EXPECT_EQ(empty.value().orders, 0);
}

TEST(AuditRenderTest, JsonSurvivesInvalidUtf8) {
  AuditReport report;
  report.violations.push_back(
      {ViolationKind::kChargeWithoutOrder, "bad\xff id", "tx", "unrefunded charge"});
  nlohmann::json json = nlohmann::json::parse(render_json(report));
  EXPECT_EQ(json["violations"].size(), 1u);
  EXPECT_TRUE(render_text(report).ends_with("audit: 1 violation(s)\n"));
}

}  // namespace
}  // namespace shop
