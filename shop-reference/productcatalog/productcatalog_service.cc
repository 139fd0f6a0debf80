#include "shop-reference/productcatalog/productcatalog_service.h"

#include "shop-reference/productcatalog/catalog_json.h"

namespace shop {

grpc::Status ProductCatalogService::ListProducts(grpc::ServerContext* context,
                                                 const hipstershop::Empty*,
                                                 hipstershop::ListProductsResponse* response) {
  return runtime_.serve(context, "ListProducts", [&] {
    for (const auto& p : catalog_.list()) *response->add_products() = p;
    return grpc::Status::OK;
  });
}

grpc::Status ProductCatalogService::GetProduct(grpc::ServerContext* context,
                                               const hipstershop::GetProductRequest* request,
                                               hipstershop::Product* response) {
  return runtime_.serve(context, "GetProduct", [&] {
    const hipstershop::Product* p = catalog_.find(request->id());
    if (p == nullptr) {
      return grpc::Status(grpc::NOT_FOUND, "no product with ID " + request->id());
    }
    *response = *p;
    return grpc::Status::OK;
  });
}

grpc::Status ProductCatalogService::SearchProducts(
    grpc::ServerContext* context, const hipstershop::SearchProductsRequest* request,
    hipstershop::SearchProductsResponse* response) {
  return runtime_.serve(context, "SearchProducts", [&] {
    for (auto& p : catalog_.search(request->query())) *response->add_results() = std::move(p);
    return grpc::Status::OK;
  });
}

GrpcServiceSpec productcatalog_service_spec() {
  GrpcServiceSpec spec;
  spec.name = "productcatalog";
  spec.default_port = 3550;
  spec.build = [](const Env& env, ServerRuntime& runtime) -> stampede::Result<BuiltServices> {
    Catalog catalog;
    if (auto path = env.raw("PRODUCT_CATALOG_FILE")) {
      auto loaded = load_catalog_json(*path);
      if (!loaded.ok()) return loaded.error().with_context("PRODUCT_CATALOG_FILE");
      catalog = std::move(loaded.value());
    }
    BuiltServices built;
    built.services.push_back(std::make_unique<ProductCatalogService>(runtime, std::move(catalog)));
    built.health_names.push_back("hipstershop.ProductCatalogService");
    return built;
  };
  return spec;
}

}  // namespace shop
