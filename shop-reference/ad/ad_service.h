// hipstershop.AdService: ads for the page's categories, random ones otherwise; the `shop ad`
// process (port 9555).
#pragma once

#include "demo.grpc.pb.h"
#include "shop-reference/ad/ads.h"
#include "shop-reference/common/grpc_host.h"

namespace shop {

// Thread-safe. The runtime must outlive it.
class AdService final : public hipstershop::AdService::Service {
 public:
  explicit AdService(ServerRuntime& runtime) : runtime_(runtime) {}

  grpc::Status GetAds(grpc::ServerContext* context, const hipstershop::AdRequest* request,
                      hipstershop::AdResponse* response) override;

 private:
  ServerRuntime& runtime_;
  const AdCatalog ads_;
};

GrpcServiceSpec ad_service_spec();

}  // namespace shop
