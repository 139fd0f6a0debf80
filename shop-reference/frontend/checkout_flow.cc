#include "shop-reference/frontend/checkout_flow.h"

#include "shop-reference/common/log.h"
#include "shop-reference/frontend/frontend_metrics.h"
#include "shop-reference/frontend/page_data.h"

namespace shop {

namespace http = boost::beast::http;

PlacedCheckout place_checkout(Backends& backends, RequestContext& ctx,
                              const CheckoutFields& fields) {
  PlacedCheckout out;
  auto request = validate_checkout(fields, ctx.session.id, ctx.session.currency);
  if (!request.ok()) {
    record_checkout("invalid");
    out.failure =
        error_response(ctx, http::status::unprocessable_entity, request.error().message());
    return out;
  }
  auto placed = backends.place_order(request.value());
  auto code = placed.status.error_code();
  if (code == grpc::INVALID_ARGUMENT || code == grpc::FAILED_PRECONDITION) {
    record_checkout("rejected");
    out.failure = error_response(ctx, http::status::unprocessable_entity,
                                 "order refused: " + placed.status.error_message());
    return out;
  }
  if (!placed.ok()) {
    record_checkout("failed");
    out.failure = backend_failure(ctx, "failed to complete the order", placed);
    return out;
  }
  record_checkout("placed");
  auto total = order_total(placed.value);
  if (total.ok()) {
    out.total_paid = total.value;
  } else {
    // The order is placed; only its sum cannot be shown. Show the order without a total rather
    // than an error for an order that went through.
    log_error("order " + placed.value.order_id() + ": " + total.status.error_message());
  }
  out.order = std::move(placed.value);
  return out;
}

}  // namespace shop
