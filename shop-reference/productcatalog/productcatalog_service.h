// hipstershop.ProductCatalogService over a Catalog; the `shop productcatalog` process
// (port 3550; PRODUCT_CATALOG_FILE optionally names an Online Boutique products.json).
#pragma once

#include "demo.grpc.pb.h"
#include "shop-reference/common/grpc_host.h"
#include "shop-reference/productcatalog/catalog.h"

namespace shop {

// Thread-safe (the catalog is immutable). The runtime must outlive it.
class ProductCatalogService final : public hipstershop::ProductCatalogService::Service {
 public:
  ProductCatalogService(ServerRuntime& runtime, Catalog catalog)
      : runtime_(runtime), catalog_(std::move(catalog)) {}

  grpc::Status ListProducts(grpc::ServerContext* context, const hipstershop::Empty* request,
                            hipstershop::ListProductsResponse* response) override;
  // NOT_FOUND for an unknown id.
  grpc::Status GetProduct(grpc::ServerContext* context,
                          const hipstershop::GetProductRequest* request,
                          hipstershop::Product* response) override;
  grpc::Status SearchProducts(grpc::ServerContext* context,
                              const hipstershop::SearchProductsRequest* request,
                              hipstershop::SearchProductsResponse* response) override;

 private:
  ServerRuntime& runtime_;
  const Catalog catalog_;
};

GrpcServiceSpec productcatalog_service_spec();

}  // namespace shop
