#include "shop-reference/orders/order_compensation.h"

#include "shop-reference/common/log.h"
#include "shop-reference/common/shop_metrics.h"

namespace shop {
namespace {

using grpc::Status;

stampede::prometheus::Counter& cancelled_counter() {
  static auto& c = registry()
                       .counter("shop_orders_cancelled_total", "Orders cancelled and refunded.", {})
                       .with({});
  return c;
}

stampede::prometheus::Family<stampede::prometheus::Counter>& refunds_family() {
  static auto& f = registry().counter(
      "shop_refunds_total", "Refunds the order service asked for, by reason.", {"reason"});
  return f;
}

stampede::prometheus::Counter& settled_counter() {
  static auto& c = registry()
                       .counter("shop_orders_recovered_total",
                                "In-flight orders settled by the recovery loop.", {})
                       .with({});
  return c;
}

}  // namespace

OrderCompensation::OrderCompensation(OrderStore& store, std::unique_ptr<Dependency> payment,
                                     std::unique_ptr<Dependency> shipping)
    : store_(store),
      payment_(std::move(payment)),
      shipping_(std::move(shipping)),
      payment_stub_(hipstershop::PaymentService::NewStub(payment_->channel())),
      shipping_stub_(hipstershop::ShippingService::NewStub(shipping_->channel())) {}

grpc::Status OrderCompensation::cancel_shipment(const hipstershop::Order& order) {
  hipstershop::CancelShipmentRequest request;
  request.set_tracking_id(order.tracking_id());
  request.set_order_id(order.order_id());
  hipstershop::CancelShipmentResponse response;
  return shipping_->call("CancelShipment", true, [&](grpc::ClientContext& c) {
    return shipping_stub_->CancelShipment(&c, request, &response);
  });
}

grpc::Status OrderCompensation::refund(const hipstershop::Order& order, const std::string& reason) {
  hipstershop::RefundRequest request;
  request.set_transaction_id(order.transaction_id());
  request.set_order_id(order.order_id());
  request.set_reason(reason);
  hipstershop::RefundResponse response;
  Status s = payment_->call("Refund", true, [&](grpc::ClientContext& c) {
    return payment_stub_->Refund(&c, request, &response);
  });
  if (s.ok() && response.refunded())
    refunds_family().with({reason.substr(0, reason.find(':'))}).inc();
  return s;
}

grpc::Status OrderCompensation::cancel(const std::string& order_id, const std::string& user_id,
                                       const std::string& reason, hipstershop::Order* out) {
  if (order_id.empty()) return Status(grpc::INVALID_ARGUMENT, "order_id is required");
  auto found = store_.get(order_id);
  if (!found.ok()) return to_grpc_status(found.error());
  hipstershop::Order order = found.value();
  if (!user_id.empty() && order.user_id() != user_id) {
    // Someone else's order is reported exactly like a missing one.
    return Status(grpc::NOT_FOUND, "order " + order_id + " not found");
  }
  if (order.status() == hipstershop::CANCELLED) {
    return Status(grpc::FAILED_PRECONDITION, "order " + order_id + " is already cancelled");
  }
  if (order.status() != hipstershop::PLACED && order.status() != hipstershop::CANCELLING) {
    return Status(grpc::FAILED_PRECONDITION, "order " + order_id + " is " +
                                                 hipstershop::OrderStatus_Name(order.status()) +
                                                 "; only placed orders can be cancelled");
  }
  std::string detail = reason.empty() ? "cancelled by user" : reason;
  auto moving = store_.advance(order_id, hipstershop::CANCELLING, "", "", detail);
  if (!moving.ok()) return to_grpc_status(moving.error());
  Status s = cancel_shipment(order);
  if (!s.ok()) return Status(s.error_code(), "cancel shipment: " + s.error_message());
  s = refund(order, "cancel: " + detail);
  if (!s.ok()) return Status(s.error_code(), "refund: " + s.error_message());
  auto done = store_.advance(order_id, hipstershop::CANCELLED, "", "", "refunded");
  if (!done.ok()) return to_grpc_status(done.error());
  cancelled_counter().inc();
  log_info("order " + order_id + " cancelled and refunded");
  if (out != nullptr) *out = done.value();
  return Status::OK;
}

grpc::Status OrderCompensation::settle(const hipstershop::Order& order) {
  if (order.status() == hipstershop::CANCELLING) {
    return cancel(order.order_id(), "", "cancel resumed by recovery", nullptr);
  }
  Status s = cancel_shipment(order);
  if (!s.ok()) return s;
  s = refund(order, "recovery: order left " + hipstershop::OrderStatus_Name(order.status()));
  if (!s.ok()) return s;
  auto failed = store_.advance(order.order_id(), hipstershop::FAILED, "", "",
                               "recovered: checkout did not finish");
  if (!failed.ok()) return to_grpc_status(failed.error());
  settled_counter().inc();
  log_warn("order " + order.order_id() + " left " + hipstershop::OrderStatus_Name(order.status()) +
           " was refunded and marked FAILED");
  return Status::OK;
}

}  // namespace shop
