#include "shop-reference/currency/currency_service.h"

#include "shop-reference/currency/currency_table.h"

namespace shop {

grpc::Status CurrencyService::GetSupportedCurrencies(
    grpc::ServerContext* context, const hipstershop::Empty*,
    hipstershop::GetSupportedCurrenciesResponse* response) {
  return runtime_.serve(context, "GetSupportedCurrencies", [&] {
    for (const auto& code : supported_codes()) response->add_currency_codes(code);
    return grpc::Status::OK;
  });
}

grpc::Status CurrencyService::Convert(grpc::ServerContext* context,
                                      const hipstershop::CurrencyConversionRequest* request,
                                      hipstershop::Money* response) {
  return runtime_.serve(context, "Convert", [&] {
    auto converted = convert(request->from(), request->to_code());
    if (!converted.ok()) return grpc::Status(grpc::INVALID_ARGUMENT, converted.error().message());
    *response = converted.value();
    return grpc::Status::OK;
  });
}

GrpcServiceSpec currency_service_spec() {
  GrpcServiceSpec spec;
  spec.name = "currency";
  spec.default_port = 7000;
  spec.build = [](const Env&, ServerRuntime& runtime) -> stampede::Result<BuiltServices> {
    BuiltServices built;
    built.services.push_back(std::make_unique<CurrencyService>(runtime));
    built.health_names.push_back("hipstershop.CurrencyService");
    return built;
  };
  return spec;
}

}  // namespace shop
