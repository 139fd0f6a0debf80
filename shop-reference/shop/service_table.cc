#include "shop-reference/shop/service_table.h"

#include "shop-reference/ad/ad_service.h"
#include "shop-reference/cart/cart_service.h"
#include "shop-reference/checkout/checkout_service.h"
#include "shop-reference/common/signals.h"
#include "shop-reference/currency/currency_service.h"
#include "shop-reference/email/email_service.h"
#include "shop-reference/frontend/frontend_main.h"
#include "shop-reference/orders/orders_service.h"
#include "shop-reference/payment/payment_service.h"
#include "shop-reference/productcatalog/productcatalog_service.h"
#include "shop-reference/recommendation/recommendation_service.h"
#include "shop-reference/shipping/shipping_service.h"

namespace shop {
namespace {

// Signals are blocked before gRPC or any other library starts a thread, so that only the
// service's main thread receives SIGTERM (see signals.h).
template <GrpcServiceSpec (*Spec)()>
int run_grpc() {
  block_termination_signals();
  return run_grpc_service(Spec(), Env());
}

int run_frontend_process() {
  block_termination_signals();
  return run_frontend(Env());
}

}  // namespace

const std::vector<ServiceEntry>& service_table() {
  static const std::vector<ServiceEntry> table = {
      {"frontend", 8080, "web shop: Online Boutique's HTML routes and a JSON API",
       &run_frontend_process},
      {"cart", 7070, "carts in memory, or in Redis with REDIS_ADDR", &run_grpc<cart_service_spec>},
      {"productcatalog", 3550, "the nine products", &run_grpc<productcatalog_service_spec>},
      {"currency", 7000, "currency conversion (EUR-based rates)", &run_grpc<currency_service_spec>},
      {"payment", 50051, "card charges and refunds (SQLite ledger)",
       &run_grpc<payment_service_spec>},
      {"shipping", 50051, "quotes, shipments, cancels", &run_grpc<shipping_service_spec>},
      {"email", 8080, "order confirmations to an outbox file", &run_grpc<email_service_spec>},
      {"checkout", 5050, "PlaceOrder saga", &run_grpc<checkout_service_spec>},
      {"recommendation", 8080, "product recommendations", &run_grpc<recommendation_service_spec>},
      {"ad", 9555, "contextual ads", &run_grpc<ad_service_spec>},
      {"orders", 50052, "order records, cancel saga, recovery (SQLite)",
       &run_grpc<orders_service_spec>},
  };
  return table;
}

}  // namespace shop
