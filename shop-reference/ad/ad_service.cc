#include "shop-reference/ad/ad_service.h"

namespace shop {

grpc::Status AdService::GetAds(grpc::ServerContext* context, const hipstershop::AdRequest* request,
                               hipstershop::AdResponse* response) {
  return runtime_.serve(context, "GetAds", [&] {
    for (auto& ad : ads_.ads_for(request->context_keys())) *response->add_ads() = std::move(ad);
    return grpc::Status::OK;
  });
}

GrpcServiceSpec ad_service_spec() {
  GrpcServiceSpec spec;
  spec.name = "ad";
  spec.default_port = 9555;
  spec.build = [](const Env&, ServerRuntime& runtime) -> stampede::Result<BuiltServices> {
    BuiltServices built;
    built.services.push_back(std::make_unique<AdService>(runtime));
    built.health_names.push_back("hipstershop.AdService");
    return built;
  };
  return spec;
}

}  // namespace shop
