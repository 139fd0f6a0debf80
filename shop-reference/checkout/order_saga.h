// PlaceOrder as a saga: Online Boutique's steps (GetCart, GetProduct + Convert per item,
// GetQuote + Convert, Charge, ShipOrder, EmptyCart, SendOrderConfirmation) with the order
// recorded in the order service at each step, and compensation when a step after the charge
// fails: the shipment is cancelled and the charge refunded, so no money is kept for an order
// that was not placed. What this process cannot compensate (it crashed, or the refund failed)
// is left in a non-terminal status for the order service's recovery loop.
#pragma once

#include <memory>
#include <string>

#include "demo.grpc.pb.h"
#include "orders.grpc.pb.h"
#include "shop-reference/common/dependency.h"

namespace shop {

// The checkout service's dependencies, one resilient client each. Owned by the service.
struct CheckoutBackends {
  std::unique_ptr<Dependency> catalog, currency, cart, shipping, payment, email, orders;
};

// Runs one PlaceOrder. Thread-safe: stateless between calls; the backends are shared.
class OrderSaga {
 public:
  explicit OrderSaga(CheckoutBackends& backends);

  // Validates the request (INVALID_ARGUMENT naming the field), then places the order. Errors:
  // FAILED_PRECONDITION for an empty cart or an unknown product in it, INVALID_ARGUMENT for a
  // card the payment service refuses, UNAVAILABLE/DEADLINE_EXCEEDED when a dependency fails
  // (the message names the step).
  grpc::Status place(const hipstershop::PlaceOrderRequest& request,
                     hipstershop::PlaceOrderResponse* response);

 private:
  // Undoes what was done for `order_id` after a failure at `step`: cancels the shipment (when
  // shipped), refunds by order id (safe when nothing was charged) and records FAILED, or
  // COMPENSATING when the shipment cancel or the refund did not go through (a PENDING order,
  // which cannot move to COMPENSATING, stays PENDING). Either way recovery finishes the job.
  void compensate(const std::string& order_id, const std::string& step, bool shipped);
  grpc::Status advance(const std::string& order_id, hipstershop::OrderStatus status,
                       const std::string& transaction_id, const std::string& tracking_id,
                       const std::string& detail);

  CheckoutBackends& b_;
  std::unique_ptr<hipstershop::ProductCatalogService::Stub> catalog_;
  std::unique_ptr<hipstershop::CurrencyService::Stub> currency_;
  std::unique_ptr<hipstershop::CartService::Stub> cart_;
  std::unique_ptr<hipstershop::ShippingService::Stub> shipping_;
  std::unique_ptr<hipstershop::PaymentService::Stub> payment_;
  std::unique_ptr<hipstershop::EmailService::Stub> email_;
  std::unique_ptr<hipstershop::OrderService::Stub> orders_;
};

// Checks a PlaceOrderRequest's fields; INVALID_ARGUMENT naming the first bad one.
grpc::Status validate_place_order(const hipstershop::PlaceOrderRequest& request);

}  // namespace shop
