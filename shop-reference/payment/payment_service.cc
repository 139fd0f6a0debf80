#include "shop-reference/payment/payment_service.h"

#include "shop-reference/common/log.h"
#include "shop-reference/common/money.h"
#include "shop-reference/common/shop_metrics.h"
#include "shop-reference/payment/card.h"

namespace shop {
namespace {

stampede::prometheus::Family<stampede::prometheus::Counter>& charges_family() {
  static auto& f =
      registry().counter("shop_payment_charges_total",
                         "Charge requests by outcome (charged, replayed, refused).", {"outcome"});
  return f;
}

stampede::prometheus::Counter& refunds_counter() {
  static auto& c =
      registry().counter("shop_payment_refunds_total", "Charges refunded.", {}).with({});
  return c;
}

}  // namespace

grpc::Status PaymentService::Charge(grpc::ServerContext* context,
                                    const hipstershop::ChargeRequest* request,
                                    hipstershop::ChargeResponse* response) {
  return runtime_.serve(context, "Charge", [&] {
    auto card = validate_card(request->credit_card());
    if (!card.ok()) {
      charges_family().with({"refused"}).inc();
      return to_grpc_status(card.error());
    }
    if (auto valid = validate(request->amount()); !valid.ok()) {
      charges_family().with({"refused"}).inc();
      return grpc::Status(grpc::INVALID_ARGUMENT, valid.error().message());
    }
    auto charged = ledger_->charge(request->order_id(), request->amount(), card.value().card_type,
                                   card.value().last4);
    if (!charged.ok()) return to_grpc_status(charged.error());
    charges_family().with({charged.value().replayed ? "replayed" : "charged"}).inc();
    response->set_transaction_id(charged.value().transaction_id);
    return grpc::Status::OK;
  });
}

grpc::Status PaymentService::Refund(grpc::ServerContext* context,
                                    const hipstershop::RefundRequest* request,
                                    hipstershop::RefundResponse* response) {
  return runtime_.serve(context, "Refund", [&] {
    StoreResult<RefundOutcome> outcome =
        !request->transaction_id().empty()
            ? ledger_->refund_transaction(request->transaction_id(), request->reason())
        : !request->order_id().empty()
            ? ledger_->refund_order(request->order_id(), request->reason())
            : StoreResult<RefundOutcome>(StoreError(ErrorKind::kInvalidArgument,
                                                    "transaction_id or order_id is required"));
    if (!outcome.ok()) return to_grpc_status(outcome.error());
    if (outcome.value().refunded) {
      refunds_counter().inc();
      log_info("refunded " + outcome.value().refund_id + " (" + request->reason() + ")");
    }
    response->set_refund_id(outcome.value().refund_id);
    response->set_refunded(outcome.value().refunded);
    return grpc::Status::OK;
  });
}

GrpcServiceSpec payment_service_spec() {
  GrpcServiceSpec spec;
  spec.name = "payment";
  spec.default_port = 50051;
  spec.build = [](const Env& env, ServerRuntime& runtime) -> stampede::Result<BuiltServices> {
    std::string data_dir = env.string("SHOP_DATA_DIR", "shop-data");
    auto ledger = Ledger::open(data_dir);
    if (!ledger.ok()) {
      return stampede::Error("SHOP_DATA_DIR " + data_dir + ": " + ledger.error().message());
    }
    BuiltServices built;
    built.services.push_back(std::make_unique<PaymentService>(runtime, std::move(ledger.value())));
    built.health_names.push_back("hipstershop.PaymentService");
    return built;
  };
  return spec;
}

}  // namespace shop
