// The leaf gRPC services (catalog, currency, cart, shipping, payment, email, ad, recommendation)
// served in-process and called through their stubs.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "shop-reference/common/money.h"
#include "shop-reference/common/testing/inprocess_shop.h"
#include "shop-reference/currency/currency_table.h"
#include "shop-reference/payment/ledger.h"

namespace shop::testing {
namespace {

using hipstershop::Money;

class GrpcServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = InProcessShop::start();
    ASSERT_TRUE(started.ok()) << started.error().message();
    shop_ = std::move(started.value());
  }

  // Every charge in the payment service's ledger, read through a second connection.
  std::vector<Charge> charges() {
    auto ledger = Ledger::open_read_only(shop_->data_dir());
    EXPECT_TRUE(ledger.ok()) << ledger.error().message();
    if (!ledger.ok()) return {};
    auto list = ledger.value()->list_charges();
    EXPECT_TRUE(list.ok()) << list.error().message();
    return list.ok() ? list.value() : std::vector<Charge>{};
  }

  grpc::Status charge(const std::string& order_id, const hipstershop::CreditCardInfo& card,
                      std::string* transaction_id) {
    hipstershop::ChargeRequest request;
    *request.mutable_amount() = make_money("USD", 42, 500'000'000);
    *request.mutable_credit_card() = card;
    request.set_order_id(order_id);
    hipstershop::ChargeResponse response;
    auto s = call_rpc([&](auto* c) { return shop_->payment().Charge(c, request, &response); });
    if (transaction_id != nullptr) *transaction_id = response.transaction_id();
    return s;
  }

  grpc::Status refund(const std::string& transaction_id, const std::string& order_id,
                      hipstershop::RefundResponse* response) {
    hipstershop::RefundRequest request;
    request.set_transaction_id(transaction_id);
    request.set_order_id(order_id);
    request.set_reason("test");
    return call_rpc([&](auto* c) { return shop_->payment().Refund(c, request, response); });
  }

  std::unique_ptr<InProcessShop> shop_;
};

TEST_F(GrpcServicesTest, CatalogListsGetsAndSearches) {
  hipstershop::ListProductsResponse list;
  ASSERT_TRUE(call_rpc([&](auto* c) {
                return shop_->catalog().ListProducts(c, hipstershop::Empty(), &list);
              }).ok());
  ASSERT_EQ(list.products_size(), 9);

  hipstershop::GetProductRequest get;
  get.set_id("OLJCESPC7Z");
  hipstershop::Product product;
  ASSERT_TRUE(
      call_rpc([&](auto* c) { return shop_->catalog().GetProduct(c, get, &product); }).ok());
  EXPECT_EQ(product.name(), "Sunglasses");
  EXPECT_TRUE(equal(product.price_usd(), make_money("USD", 19, 990'000'000)));

  get.set_id("NO-SUCH-PRODUCT");
  auto missing = call_rpc([&](auto* c) { return shop_->catalog().GetProduct(c, get, &product); });
  EXPECT_EQ(missing.error_code(), grpc::NOT_FOUND);
  EXPECT_NE(missing.error_message().find("NO-SUCH-PRODUCT"), std::string::npos);

  hipstershop::SearchProductsRequest search;
  search.set_query("SUNGLASSES");
  hipstershop::SearchProductsResponse found;
  ASSERT_TRUE(
      call_rpc([&](auto* c) { return shop_->catalog().SearchProducts(c, search, &found); }).ok());
  ASSERT_EQ(found.results_size(), 1);
  EXPECT_EQ(found.results(0).id(), "OLJCESPC7Z");
  search.set_query("no product says this");
  found.Clear();
  ASSERT_TRUE(
      call_rpc([&](auto* c) { return shop_->catalog().SearchProducts(c, search, &found); }).ok());
  EXPECT_EQ(found.results_size(), 0);
}

TEST_F(GrpcServicesTest, CurrencyListsCodesAndConverts) {
  hipstershop::GetSupportedCurrenciesResponse codes;
  ASSERT_TRUE(call_rpc([&](auto* c) {
                return shop_->currency().GetSupportedCurrencies(c, hipstershop::Empty(), &codes);
              }).ok());
  std::set<std::string> set(codes.currency_codes().begin(), codes.currency_codes().end());
  for (const char* code : {"USD", "EUR", "JPY", "GBP", "CAD"}) EXPECT_TRUE(set.count(code)) << code;

  hipstershop::CurrencyConversionRequest request;
  *request.mutable_from() = make_money("USD", 10, 500'000'000);
  request.set_to_code("EUR");
  Money out;
  ASSERT_TRUE(call_rpc([&](auto* c) { return shop_->currency().Convert(c, request, &out); }).ok());
  auto expected = convert(request.from(), "EUR");
  ASSERT_TRUE(expected.ok());
  EXPECT_TRUE(equal(out, expected.value())) << to_string(out);
  EXPECT_EQ(out.currency_code(), "EUR");
  EXPECT_FALSE(equal(out, request.from()));

  request.set_to_code("XYZ");
  auto bad = call_rpc([&](auto* c) { return shop_->currency().Convert(c, request, &out); });
  EXPECT_EQ(bad.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("XYZ"), std::string::npos) << bad.error_message();
}

TEST_F(GrpcServicesTest, CartAddsGetsAndEmpties) {
  ASSERT_TRUE(
      fill_cart(*shop_, "u1", {{"66VCHSJNUP", 2}, {"OLJCESPC7Z", 1}, {"66VCHSJNUP", 3}}).ok());
  hipstershop::GetCartRequest get;
  get.set_user_id("u1");
  hipstershop::Cart cart;
  ASSERT_TRUE(call_rpc([&](auto* c) { return shop_->cart().GetCart(c, get, &cart); }).ok());
  EXPECT_EQ(cart.user_id(), "u1");
  ASSERT_EQ(cart.items_size(), 2);
  EXPECT_EQ(cart.items(0).product_id(), "66VCHSJNUP");
  EXPECT_EQ(cart.items(0).quantity(), 5);
  EXPECT_EQ(cart.items(1).product_id(), "OLJCESPC7Z");
  EXPECT_EQ(cart.items(1).quantity(), 1);

  auto zero = fill_cart(*shop_, "u1", {{"OLJCESPC7Z", 0}});
  EXPECT_EQ(zero.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_NE(zero.error_message().find("quantity"), std::string::npos) << zero.error_message();

  hipstershop::EmptyCartRequest empty;
  empty.set_user_id("u1");
  hipstershop::Empty nothing;
  ASSERT_TRUE(call_rpc([&](auto* c) { return shop_->cart().EmptyCart(c, empty, &nothing); }).ok());
  cart.Clear();
  ASSERT_TRUE(call_rpc([&](auto* c) { return shop_->cart().GetCart(c, get, &cart); }).ok());
  EXPECT_EQ(cart.items_size(), 0);
}

TEST_F(GrpcServicesTest, ShippingQuotesShipsIdempotentlyAndCancels) {
  hipstershop::GetQuoteRequest quote;
  auto* item = quote.add_items();
  item->set_product_id("OLJCESPC7Z");
  item->set_quantity(2);
  hipstershop::GetQuoteResponse cost;
  ASSERT_TRUE(call_rpc([&](auto* c) { return shop_->shipping().GetQuote(c, quote, &cost); }).ok());
  EXPECT_TRUE(equal(cost.cost_usd(), make_money("USD", 8, 990'000'000)))
      << to_string(cost.cost_usd());

  hipstershop::ShipOrderRequest ship;
  ship.mutable_address()->set_street_address("1 Main St");
  ship.mutable_address()->set_city("Springfield");
  *ship.mutable_items() = quote.items();
  ship.set_order_id("order-1");
  hipstershop::ShipOrderResponse first, second, other;
  auto ship_call = [&](hipstershop::ShipOrderResponse* out) {
    return call_rpc([&](auto* c) { return shop_->shipping().ShipOrder(c, ship, out); });
  };
  ASSERT_TRUE(ship_call(&first).ok());
  ASSERT_TRUE(ship_call(&second).ok());
  EXPECT_FALSE(first.tracking_id().empty());
  EXPECT_EQ(first.tracking_id(), second.tracking_id());
  ship.set_order_id("order-2");
  ASSERT_TRUE(ship_call(&other).ok());
  EXPECT_NE(other.tracking_id(), first.tracking_id());

  hipstershop::CancelShipmentRequest cancel;
  cancel.set_order_id("order-1");
  hipstershop::CancelShipmentResponse cancelled;
  auto cancel_call = [&] {
    cancelled.Clear();
    return call_rpc(
        [&](auto* c) { return shop_->shipping().CancelShipment(c, cancel, &cancelled); });
  };
  ASSERT_TRUE(cancel_call().ok());
  EXPECT_TRUE(cancelled.cancelled());
  ASSERT_TRUE(cancel_call().ok());
  EXPECT_FALSE(cancelled.cancelled());
  // By tracking id as well: order-2's shipment.
  cancel.set_order_id("");
  cancel.set_tracking_id(other.tracking_id());
  ASSERT_TRUE(cancel_call().ok());
  EXPECT_TRUE(cancelled.cancelled());

  ship.set_order_id("order-1");
  EXPECT_EQ(ship_call(&first).error_code(), grpc::FAILED_PRECONDITION);
  cancel.Clear();
  EXPECT_EQ(cancel_call().error_code(), grpc::INVALID_ARGUMENT);
}

TEST_F(GrpcServicesTest, PaymentChargesIdempotentlyByOrderId) {
  std::string first, second;
  ASSERT_TRUE(charge("order-1", valid_card(), &first).ok());
  ASSERT_TRUE(charge("order-1", valid_card(), &second).ok());
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
  auto all = charges();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].order_id, "order-1");
  EXPECT_TRUE(equal(all[0].amount, make_money("USD", 42, 500'000'000)));
  EXPECT_FALSE(all[0].refunded());
}

TEST_F(GrpcServicesTest, PaymentRefundsByTransactionAndByOrder) {
  std::string t1, t2;
  ASSERT_TRUE(charge("order-1", valid_card(), &t1).ok());
  ASSERT_TRUE(charge("order-2", valid_card(), &t2).ok());

  hipstershop::RefundResponse r;
  ASSERT_TRUE(refund(t1, "", &r).ok());
  EXPECT_TRUE(r.refunded());
  std::string refund_id = r.refund_id();
  EXPECT_FALSE(refund_id.empty());
  ASSERT_TRUE(refund(t1, "", &r).ok());
  EXPECT_FALSE(r.refunded());
  EXPECT_EQ(r.refund_id(), refund_id);

  ASSERT_TRUE(refund("", "order-2", &r).ok());
  EXPECT_TRUE(r.refunded());
  ASSERT_TRUE(refund("", "order-without-charge", &r).ok());
  EXPECT_FALSE(r.refunded());
  EXPECT_TRUE(r.refund_id().empty());
  EXPECT_EQ(refund("no-such-transaction", "", &r).error_code(), grpc::NOT_FOUND);
  EXPECT_EQ(refund("", "", &r).error_code(), grpc::INVALID_ARGUMENT);

  // A refunded order is never charged again.
  EXPECT_EQ(charge("order-1", valid_card(), nullptr).error_code(), grpc::FAILED_PRECONDITION);
  auto all = charges();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].refunded());
  EXPECT_TRUE(all[1].refunded());
}

TEST_F(GrpcServicesTest, PaymentRefusesBadCards) {
  hipstershop::CreditCardInfo expired = valid_card();
  expired.set_credit_card_expiration_year(2020);
  hipstershop::CreditCardInfo amex = valid_card();
  amex.set_credit_card_number("378282246310005");
  hipstershop::CreditCardInfo bad_luhn = valid_card();
  bad_luhn.set_credit_card_number("4432801561520455");
  struct Case {
    const char* name;
    hipstershop::CreditCardInfo card;
    const char* message;
  } cases[] = {{"expired", expired, "expired"},
               {"amex", amex, "cannot process"},
               {"bad luhn", bad_luhn, "invalid"}};
  for (const auto& c : cases) {
    auto s = charge(std::string("order-") + c.name, c.card, nullptr);
    EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT) << c.name;
    EXPECT_NE(s.error_message().find(c.message), std::string::npos) << s.error_message();
  }
  EXPECT_TRUE(charges().empty());
}

TEST_F(GrpcServicesTest, EmailWritesOneOutboxLinePerConfirmation) {
  hipstershop::SendOrderConfirmationRequest request;
  request.set_email("someone@example.com");
  request.mutable_order()->set_order_id("order-1");
  request.mutable_order()->set_shipping_tracking_id("AB-123-456");
  request.mutable_order()->add_items()->mutable_item()->set_product_id("OLJCESPC7Z");
  hipstershop::Empty nothing;
  auto send = [&] {
    return call_rpc(
        [&](auto* c) { return shop_->email().SendOrderConfirmation(c, request, &nothing); });
  };
  ASSERT_TRUE(send().ok());
  request.mutable_order()->set_order_id("order-2");
  ASSERT_TRUE(send().ok());
  request.clear_email();
  auto missing = send();
  EXPECT_EQ(missing.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_NE(missing.error_message().find("email"), std::string::npos);

  std::ifstream in(shop_->outbox_path());
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(nlohmann::json::parse(line, nullptr, false));
  }
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].value("to", ""), "someone@example.com");
  EXPECT_EQ(lines[0].value("order_id", ""), "order-1");
  EXPECT_EQ(lines[0].value("tracking_id", ""), "AB-123-456");
  EXPECT_EQ(lines[0].value("items", 0), 1);
  EXPECT_EQ(lines[1].value("order_id", ""), "order-2");
}

TEST_F(GrpcServicesTest, AdServesTheCategorysAds) {
  hipstershop::AdRequest request;
  request.add_context_keys("kitchen");
  hipstershop::AdResponse response;
  ASSERT_TRUE(call_rpc([&](auto* c) { return shop_->ad().GetAds(c, request, &response); }).ok());
  std::set<std::string> urls;
  for (const auto& ad : response.ads()) urls.insert(ad.redirect_url());
  EXPECT_EQ(urls, (std::set<std::string>{"/product/9SIQT8TOJO", "/product/6E92ZMYYFZ"}));

  request.set_context_keys(0, "no-such-category");
  response.Clear();
  ASSERT_TRUE(call_rpc([&](auto* c) { return shop_->ad().GetAds(c, request, &response); }).ok());
  EXPECT_EQ(response.ads_size(), 2);  // random ads as the fallback
}

TEST_F(GrpcServicesTest, RecommendationExcludesRequestedProducts) {
  hipstershop::ListRecommendationsRequest request;
  request.set_user_id("u1");
  request.add_product_ids("OLJCESPC7Z");
  request.add_product_ids("66VCHSJNUP");
  hipstershop::ListRecommendationsResponse response;
  auto list = [&] {
    response.Clear();
    return call_rpc([&](auto* c) {
      return shop_->recommendation().ListRecommendations(c, request, &response);
    });
  };
  ASSERT_TRUE(list().ok());
  EXPECT_EQ(response.product_ids_size(), 5);
  std::set<std::string> ids(response.product_ids().begin(), response.product_ids().end());
  EXPECT_EQ(ids.size(), static_cast<size_t>(response.product_ids_size()));
  EXPECT_FALSE(ids.count("OLJCESPC7Z"));
  EXPECT_FALSE(ids.count("66VCHSJNUP"));

  // Eight of the nine excluded: only the ninth can come back.
  request.clear_product_ids();
  for (const char* id : {"OLJCESPC7Z", "66VCHSJNUP", "1YMWWN1N4O", "L9ECAV7KIM", "2ZYFJ3GM2N",
                         "0PUK6V6EV0", "LS4PSXUNUM", "9SIQT8TOJO"}) {
    request.add_product_ids(id);
  }
  ASSERT_TRUE(list().ok());
  ASSERT_EQ(response.product_ids_size(), 1);
  EXPECT_EQ(response.product_ids(0), "6E92ZMYYFZ");

  // The catalog's failure is passed on.
  FaultSpec down;
  down.error_rate = 1;
  shop_->set_faults(ShopService::kProductCatalog, down);
  EXPECT_EQ(list().error_code(), grpc::UNAVAILABLE);
}

}  // namespace
}  // namespace shop::testing
