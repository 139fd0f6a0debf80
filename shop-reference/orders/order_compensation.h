// The order service's side of the sagas: cancelling a placed order (cancel the shipment, refund
// the payment, record CANCELLED) and failing an order that a crashed or cut-off checkout left in
// flight (cancel any shipment and refund any charge by order id, record FAILED). Every step is
// idempotent, so an interrupted run is simply run again.
#pragma once

#include <memory>
#include <string>

#include "demo.grpc.pb.h"
#include "orders.pb.h"
#include "shop-reference/common/dependency.h"
#include "shop-reference/orders/order_store.h"

namespace shop {

// Thread-safe (the store and the dependencies are). The store must outlive it.
class OrderCompensation {
 public:
  OrderCompensation(OrderStore& store, std::unique_ptr<Dependency> payment,
                    std::unique_ptr<Dependency> shipping);

  // Cancels `order_id`. NOT_FOUND when unknown or (user_id set) not the user's;
  // FAILED_PRECONDITION when already cancelled or not PLACED/CANCELLING; the dependency's code
  // when the shipment cannot be cancelled or the refund fails (the order stays CANCELLING).
  grpc::Status cancel(const std::string& order_id, const std::string& user_id,
                      const std::string& reason, hipstershop::Order* out);

  // Settles an order left in flight: CANCELLING orders finish their cancel; the others have
  // their shipment cancelled and their charge refunded (both by order id, harmless when there
  // is none) and end FAILED. Returns the first failure; the order is then left for next time.
  grpc::Status settle(const hipstershop::Order& order);

 private:
  grpc::Status cancel_shipment(const hipstershop::Order& order);
  grpc::Status refund(const hipstershop::Order& order, const std::string& reason);

  OrderStore& store_;
  std::unique_ptr<Dependency> payment_;
  std::unique_ptr<Dependency> shipping_;
  std::unique_ptr<hipstershop::PaymentService::Stub> payment_stub_;
  std::unique_ptr<hipstershop::ShippingService::Stub> shipping_stub_;
};

}  // namespace shop
