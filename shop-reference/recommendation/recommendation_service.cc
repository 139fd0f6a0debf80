#include "shop-reference/recommendation/recommendation_service.h"

#include <algorithm>
#include <random>
#include <set>

namespace shop {

RecommendationService::RecommendationService(ServerRuntime& runtime,
                                             std::unique_ptr<Dependency> catalog)
    : runtime_(runtime),
      catalog_(std::move(catalog)),
      stub_(hipstershop::ProductCatalogService::NewStub(catalog_->channel())) {}

grpc::Status RecommendationService::ListRecommendations(
    grpc::ServerContext* context, const hipstershop::ListRecommendationsRequest* request,
    hipstershop::ListRecommendationsResponse* response) {
  return runtime_.serve(context, "ListRecommendations", [&] {
    hipstershop::ListProductsResponse products;
    grpc::Status s = catalog_->call("ListProducts", true, [&](grpc::ClientContext& c) {
      return stub_->ListProducts(&c, hipstershop::Empty(), &products);
    });
    if (!s.ok()) return grpc::Status(s.error_code(), "list products: " + s.error_message());
    std::set<std::string> seen(request->product_ids().begin(), request->product_ids().end());
    std::vector<std::string> candidates;
    for (const auto& p : products.products()) {
      if (!seen.count(p.id())) candidates.push_back(p.id());
    }
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::shuffle(candidates.begin(), candidates.end(), rng);
    if (candidates.size() > kMaxResponses) candidates.resize(kMaxResponses);
    for (auto& id : candidates) response->add_product_ids(std::move(id));
    return grpc::Status::OK;
  });
}

GrpcServiceSpec recommendation_service_spec() {
  GrpcServiceSpec spec;
  spec.name = "recommendation";
  spec.default_port = 8080;
  spec.build = [](const Env& env, ServerRuntime& runtime) -> stampede::Result<BuiltServices> {
    auto address =
        env.required("PRODUCT_CATALOG_SERVICE_ADDR", "host:port of the product catalog service");
    if (!address.ok()) return address.error();
    auto policy = call_policy_from_env(env, "PRODUCT_CATALOG");
    if (!policy.ok()) return policy.error();
    BuiltServices built;
    built.services.push_back(std::make_unique<RecommendationService>(
        runtime, std::make_unique<Dependency>("productcatalog", address.value(), policy.value())));
    built.health_names.push_back("hipstershop.RecommendationService");
    return built;
  };
  return spec;
}

}  // namespace shop
