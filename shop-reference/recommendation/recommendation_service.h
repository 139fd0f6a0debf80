// hipstershop.RecommendationService as in Online Boutique: up to five products from the catalog,
// in random order, excluding the ones the user is looking at. Port 8080; needs
// PRODUCT_CATALOG_SERVICE_ADDR.
#pragma once

#include <memory>

#include "demo.grpc.pb.h"
#include "shop-reference/common/dependency.h"
#include "shop-reference/common/grpc_host.h"

namespace shop {

// Thread-safe. The runtime must outlive it.
class RecommendationService final : public hipstershop::RecommendationService::Service {
 public:
  static constexpr int kMaxResponses = 5;

  RecommendationService(ServerRuntime& runtime, std::unique_ptr<Dependency> catalog);

  // The catalog's failure code when it cannot be listed.
  grpc::Status ListRecommendations(grpc::ServerContext* context,
                                   const hipstershop::ListRecommendationsRequest* request,
                                   hipstershop::ListRecommendationsResponse* response) override;

 private:
  ServerRuntime& runtime_;
  std::unique_ptr<Dependency> catalog_;
  std::unique_ptr<hipstershop::ProductCatalogService::Stub> stub_;
};

GrpcServiceSpec recommendation_service_spec();

}  // namespace shop
