// hipstershop.PaymentService: Online Boutique's card checks, charges recorded in the ledger
// (idempotent by order id) and our Refund extension; the `shop payment` process (port 50051;
// SHOP_DATA_DIR for payments.db).
#pragma once

#include <memory>

#include "demo.grpc.pb.h"
#include "shop-reference/common/grpc_host.h"
#include "shop-reference/payment/ledger.h"

namespace shop {

// Thread-safe (the ledger is). The runtime must outlive it.
class PaymentService final : public hipstershop::PaymentService::Service {
 public:
  PaymentService(ServerRuntime& runtime, std::unique_ptr<Ledger> ledger)
      : runtime_(runtime), ledger_(std::move(ledger)) {}

  // INVALID_ARGUMENT for a refused card or a bad amount; FAILED_PRECONDITION when the order's
  // charge was already refunded.
  grpc::Status Charge(grpc::ServerContext* context, const hipstershop::ChargeRequest* request,
                      hipstershop::ChargeResponse* response) override;
  // By transaction id (NOT_FOUND when unknown) or by order id (nothing to refund is not an error).
  grpc::Status Refund(grpc::ServerContext* context, const hipstershop::RefundRequest* request,
                      hipstershop::RefundResponse* response) override;

 private:
  ServerRuntime& runtime_;
  std::unique_ptr<Ledger> ledger_;
};

GrpcServiceSpec payment_service_spec();

}  // namespace shop
