// hipstershop.CurrencyService over Online Boutique's rate table; the `shop currency` process
// (port 7000).
#pragma once

#include "demo.grpc.pb.h"
#include "shop-reference/common/grpc_host.h"

namespace shop {

// Stateless and thread-safe. The runtime must outlive it.
class CurrencyService final : public hipstershop::CurrencyService::Service {
 public:
  explicit CurrencyService(ServerRuntime& runtime) : runtime_(runtime) {}

  grpc::Status GetSupportedCurrencies(
      grpc::ServerContext* context, const hipstershop::Empty* request,
      hipstershop::GetSupportedCurrenciesResponse* response) override;
  // INVALID_ARGUMENT for an invalid amount or an unsupported code.
  grpc::Status Convert(grpc::ServerContext* context,
                       const hipstershop::CurrencyConversionRequest* request,
                       hipstershop::Money* response) override;

 private:
  ServerRuntime& runtime_;
};

GrpcServiceSpec currency_service_spec();

}  // namespace shop
