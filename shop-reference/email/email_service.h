// hipstershop.EmailService, a mock as in Online Boutique: confirmations are not mailed but
// appended as JSON lines to an outbox file (EMAIL_OUTBOX, or SHOP_DATA_DIR/outbox.jsonl) and
// logged. Port 8080.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "demo.grpc.pb.h"
#include "shop-reference/common/grpc_host.h"

namespace shop {

// Thread-safe: appends are serialised by a mutex. The runtime must outlive it.
class EmailService final : public hipstershop::EmailService::Service {
 public:
  // `outbox_path` empty: log only. Error when the file cannot be opened for appending.
  static stampede::Result<std::unique_ptr<EmailService>> open(ServerRuntime& runtime,
                                                              const std::string& outbox_path);
  ~EmailService() override;

  // INVALID_ARGUMENT without an email address or an order id.
  grpc::Status SendOrderConfirmation(grpc::ServerContext* context,
                                     const hipstershop::SendOrderConfirmationRequest* request,
                                     hipstershop::Empty* response) override;

 private:
  EmailService(ServerRuntime& runtime, std::FILE* outbox) : runtime_(runtime), outbox_(outbox) {}

  ServerRuntime& runtime_;
  std::mutex mu_;
  std::FILE* outbox_;  // owned; guarded by mu_; null when logging only
};

GrpcServiceSpec email_service_spec();

}  // namespace shop
