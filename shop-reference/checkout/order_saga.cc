#include "shop-reference/checkout/order_saga.h"

#include "shop-reference/common/ids.h"
#include "shop-reference/common/log.h"
#include "shop-reference/common/money.h"
#include "shop-reference/common/shop_metrics.h"

namespace shop {
namespace {

using grpc::ClientContext;
using grpc::Status;
using hipstershop::OrderStatus;

stampede::prometheus::Counter& placed_counter() {
  static auto& c =
      registry().counter("shop_orders_placed_total", "Orders placed by checkout.", {}).with({});
  return c;
}

stampede::prometheus::Family<stampede::prometheus::Counter>& revenue_family() {
  static auto& f = registry().counter(
      "shop_revenue_total", "Money charged for placed orders, in whole units of the currency.",
      {"currency"});
  return f;
}

stampede::prometheus::Family<stampede::prometheus::Counter>& failed_family() {
  static auto& f =
      registry().counter("shop_orders_failed_total",
                         "PlaceOrder calls that failed, by the step that failed.", {"step"});
  return f;
}

stampede::prometheus::Family<stampede::prometheus::Counter>& compensation_family() {
  static auto& f = registry().counter("shop_compensations_total",
                                      "Saga compensations run by checkout, by action and outcome.",
                                      {"action", "outcome"});
  return f;
}

// A dependency failure keeps its code (UNAVAILABLE, DEADLINE_EXCEEDED, ...) so callers can tell
// "try later" from "your request is wrong"; the message says which step failed.
Status step_failed(const std::string& step, const Status& cause) {
  failed_family().with({step}).inc();
  return Status(cause.error_code(), step + ": " + cause.error_message());
}

Status invalid(const std::string& what) {
  return Status(grpc::INVALID_ARGUMENT, what);
}

}  // namespace

grpc::Status validate_place_order(const hipstershop::PlaceOrderRequest& r) {
  if (r.user_id().empty()) return invalid("user_id is required");
  if (r.user_currency().size() != 3) return invalid("user_currency must be a 3-letter code");
  if (r.email().empty() || r.email().find('@') == std::string::npos) {
    return invalid("email is invalid");
  }
  if (!r.has_address()) return invalid("address is required");
  const auto& a = r.address();
  if (a.street_address().empty()) return invalid("address.street_address is required");
  if (a.city().empty()) return invalid("address.city is required");
  if (a.country().empty()) return invalid("address.country is required");
  if (!r.has_credit_card()) return invalid("credit_card is required");
  if (r.credit_card().credit_card_number().empty()) {
    return invalid("credit_card.credit_card_number is required");
  }
  return Status::OK;
}

OrderSaga::OrderSaga(CheckoutBackends& backends)
    : b_(backends),
      catalog_(hipstershop::ProductCatalogService::NewStub(b_.catalog->channel())),
      currency_(hipstershop::CurrencyService::NewStub(b_.currency->channel())),
      cart_(hipstershop::CartService::NewStub(b_.cart->channel())),
      shipping_(hipstershop::ShippingService::NewStub(b_.shipping->channel())),
      payment_(hipstershop::PaymentService::NewStub(b_.payment->channel())),
      email_(hipstershop::EmailService::NewStub(b_.email->channel())),
      orders_(hipstershop::OrderService::NewStub(b_.orders->channel())) {}

grpc::Status OrderSaga::place(const hipstershop::PlaceOrderRequest& request,
                              hipstershop::PlaceOrderResponse* response) {
  if (Status v = validate_place_order(request); !v.ok()) {
    failed_family().with({"validate"}).inc();
    return v;
  }
  const std::string& user = request.user_id();
  const std::string& currency = request.user_currency();

  hipstershop::Cart cart;
  hipstershop::GetCartRequest cart_request;
  cart_request.set_user_id(user);
  Status s = b_.cart->call(
      "GetCart", true, [&](ClientContext& c) { return cart_->GetCart(&c, cart_request, &cart); });
  if (!s.ok()) return step_failed("get cart", s);
  if (cart.items().empty()) {
    failed_family().with({"empty cart"}).inc();
    return Status(grpc::FAILED_PRECONDITION, "cart is empty");
  }

  // Price every item in the user's currency, as Online Boutique's prepOrderItems does.
  hipstershop::OrderResult result;
  hipstershop::Money total = make_money(currency, 0, 0);
  for (const auto& item : cart.items()) {
    hipstershop::GetProductRequest product_request;
    product_request.set_id(item.product_id());
    hipstershop::Product product;
    s = b_.catalog->call("GetProduct", true, [&](ClientContext& c) {
      return catalog_->GetProduct(&c, product_request, &product);
    });
    if (s.error_code() == grpc::NOT_FOUND) {
      failed_family().with({"get product"}).inc();
      return Status(grpc::FAILED_PRECONDITION, "cart holds unknown product " + item.product_id());
    }
    if (!s.ok()) return step_failed("get product", s);
    hipstershop::CurrencyConversionRequest convert;
    *convert.mutable_from() = product.price_usd();
    convert.set_to_code(currency);
    hipstershop::Money price;
    s = b_.currency->call(
        "Convert", true, [&](ClientContext& c) { return currency_->Convert(&c, convert, &price); });
    if (!s.ok()) return step_failed("convert currency", s);
    auto* order_item = result.add_items();
    *order_item->mutable_item() = item;
    *order_item->mutable_cost() = price;
    auto line = multiply(price, item.quantity());
    auto next = line.ok() ? sum(total, line.value()) : line;
    if (!next.ok()) return Status(grpc::INVALID_ARGUMENT, "pricing: " + next.error().message());
    total = next.value();
  }

  hipstershop::GetQuoteRequest quote_request;
  *quote_request.mutable_address() = request.address();
  *quote_request.mutable_items() = cart.items();
  hipstershop::GetQuoteResponse quote;
  s = b_.shipping->call("GetQuote", true, [&](ClientContext& c) {
    return shipping_->GetQuote(&c, quote_request, &quote);
  });
  if (!s.ok()) return step_failed("shipping quote", s);
  hipstershop::CurrencyConversionRequest convert_quote;
  *convert_quote.mutable_from() = quote.cost_usd();
  convert_quote.set_to_code(currency);
  hipstershop::Money shipping_cost;
  s = b_.currency->call("Convert", true, [&](ClientContext& c) {
    return currency_->Convert(&c, convert_quote, &shipping_cost);
  });
  if (!s.ok()) return step_failed("convert currency", s);
  auto with_shipping = sum(total, shipping_cost);
  if (!with_shipping.ok()) {
    return Status(grpc::INVALID_ARGUMENT, "pricing: " + with_shipping.error().message());
  }
  total = with_shipping.value();

  // The order is on record before any money moves, so a crash from here on leaves a trace the
  // recovery loop can compensate.
  const std::string order_id = uuid4();
  hipstershop::BeginOrderRequest begin;
  begin.set_order_id(order_id);
  begin.set_user_id(user);
  begin.set_email(request.email());
  begin.set_currency_code(currency);
  *begin.mutable_items() = result.items();
  *begin.mutable_shipping_cost() = shipping_cost;
  *begin.mutable_total() = total;
  *begin.mutable_shipping_address() = request.address();
  hipstershop::Order order;
  s = b_.orders->call("BeginOrder", false,
                      [&](ClientContext& c) { return orders_->BeginOrder(&c, begin, &order); });
  if (!s.ok()) return step_failed("record order", s);

  hipstershop::ChargeRequest charge;
  *charge.mutable_amount() = total;
  *charge.mutable_credit_card() = request.credit_card();
  charge.set_order_id(order_id);
  hipstershop::ChargeResponse charged;
  // Charge is idempotent by order id, so it may be retried.
  s = b_.payment->call("Charge", true,
                       [&](ClientContext& c) { return payment_->Charge(&c, charge, &charged); });
  if (s.error_code() == grpc::INVALID_ARGUMENT || s.error_code() == grpc::FAILED_PRECONDITION) {
    failed_family().with({"charge"}).inc();
    advance(order_id, hipstershop::FAILED, "", "", "payment refused: " + s.error_message());
    return Status(grpc::INVALID_ARGUMENT, "payment refused: " + s.error_message());
  }
  if (!s.ok()) {
    // The charge may have gone through before the failure was seen: refund by order id.
    compensate(order_id, "charge", false);
    return step_failed("charge", s);
  }
  if (!(s = advance(order_id, hipstershop::CHARGED, charged.transaction_id(), "", "")).ok()) {
    compensate(order_id, "record charge", false);
    return step_failed("record charge", s);
  }

  hipstershop::ShipOrderRequest ship;
  *ship.mutable_address() = request.address();
  *ship.mutable_items() = cart.items();
  ship.set_order_id(order_id);
  hipstershop::ShipOrderResponse shipped;
  // ShipOrder is idempotent by order id, so it may be retried.
  s = b_.shipping->call("ShipOrder", true,
                        [&](ClientContext& c) { return shipping_->ShipOrder(&c, ship, &shipped); });
  if (!s.ok()) {
    compensate(order_id, "ship", true);
    return step_failed("ship order", s);
  }
  if (!(s = advance(order_id, hipstershop::SHIPPED, "", shipped.tracking_id(), "")).ok()) {
    compensate(order_id, "record shipment", true);
    return step_failed("record shipment", s);
  }

  hipstershop::EmptyCartRequest empty;
  empty.set_user_id(user);
  hipstershop::Empty nothing;
  // As in Online Boutique, a cart that cannot be emptied does not fail the order.
  s = b_.cart->call("EmptyCart", true,
                    [&](ClientContext& c) { return cart_->EmptyCart(&c, empty, &nothing); });
  if (!s.ok()) log_warn("order " + order_id + ": could not empty cart: " + s.error_message());

  if (!(s = advance(order_id, hipstershop::PLACED, "", "", "")).ok()) {
    compensate(order_id, "record placed", true);
    return step_failed("record placed", s);
  }

  result.set_order_id(order_id);
  result.set_shipping_tracking_id(shipped.tracking_id());
  *result.mutable_shipping_cost() = shipping_cost;
  *result.mutable_shipping_address() = request.address();

  hipstershop::SendOrderConfirmationRequest mail;
  mail.set_email(request.email());
  *mail.mutable_order() = result;
  s = b_.email->call("SendOrderConfirmation", true, [&](ClientContext& c) {
    return email_->SendOrderConfirmation(&c, mail, &nothing);
  });
  if (!s.ok()) log_warn("order " + order_id + ": confirmation email failed: " + s.error_message());

  placed_counter().inc();
  revenue_family().with({currency}).inc(to_double(total));
  *response->mutable_order() = result;
  return Status::OK;
}

grpc::Status OrderSaga::advance(const std::string& order_id, hipstershop::OrderStatus status,
                                const std::string& transaction_id, const std::string& tracking_id,
                                const std::string& detail) {
  hipstershop::AdvanceOrderRequest request;
  request.set_order_id(order_id);
  request.set_status(status);
  request.set_transaction_id(transaction_id);
  request.set_tracking_id(tracking_id);
  request.set_detail(detail);
  hipstershop::Order order;
  // Moving to the status the order already has is a no-op, so this is safe to retry.
  return b_.orders->call("AdvanceOrder", true, [&](ClientContext& c) {
    return orders_->AdvanceOrder(&c, request, &order);
  });
}

void OrderSaga::compensate(const std::string& order_id, const std::string& step, bool shipped) {
  bool clean = true;
  if (shipped) {
    hipstershop::CancelShipmentRequest cancel;
    cancel.set_order_id(order_id);
    hipstershop::CancelShipmentResponse cancelled;
    Status s = b_.shipping->call("CancelShipment", true, [&](ClientContext& c) {
      return shipping_->CancelShipment(&c, cancel, &cancelled);
    });
    compensation_family().with({"cancel shipment", s.ok() ? "ok" : "failed"}).inc();
    clean = clean && s.ok();
  }
  hipstershop::RefundRequest refund;
  refund.set_order_id(order_id);
  refund.set_reason("order failed at " + step);
  hipstershop::RefundResponse refunded;
  Status s = b_.payment->call(
      "Refund", true, [&](ClientContext& c) { return payment_->Refund(&c, refund, &refunded); });
  compensation_family().with({"refund", s.ok() ? "ok" : "failed"}).inc();
  clean = clean && s.ok();
  // COMPENSATING is only reachable from CHARGED or SHIPPED; from PENDING a failed refund still
  // leaves the order in flight for the recovery loop, which refunds by order id.
  Status recorded = advance(order_id, clean ? hipstershop::FAILED : hipstershop::COMPENSATING, "",
                            "", "failed at " + step);
  if (!clean || !recorded.ok()) {
    log_warn("order " + order_id + ": compensation after '" + step +
             "' incomplete; left for recovery");
  }
}

}  // namespace shop
