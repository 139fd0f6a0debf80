#include "shop-reference/email/email_service.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>

#include "shop-reference/common/log.h"
#include "shop-reference/common/shop_metrics.h"

namespace shop {

stampede::Result<std::unique_ptr<EmailService>> EmailService::open(ServerRuntime& runtime,
                                                                   const std::string& outbox_path) {
  std::FILE* f = nullptr;
  if (!outbox_path.empty()) {
    f = std::fopen(outbox_path.c_str(), "a");
    if (f == nullptr) {
      return stampede::Error("EMAIL_OUTBOX " + outbox_path + ": " + std::strerror(errno));
    }
  }
  return std::unique_ptr<EmailService>(new EmailService(runtime, f));
}

EmailService::~EmailService() {
  if (outbox_ != nullptr) std::fclose(outbox_);
}

grpc::Status EmailService::SendOrderConfirmation(
    grpc::ServerContext* context, const hipstershop::SendOrderConfirmationRequest* request,
    hipstershop::Empty*) {
  return runtime_.serve(context, "SendOrderConfirmation", [&] {
    if (request->email().empty()) {
      return grpc::Status(grpc::INVALID_ARGUMENT, "email is required");
    }
    if (request->order().order_id().empty()) {
      return grpc::Status(grpc::INVALID_ARGUMENT, "order.order_id is required");
    }
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    nlohmann::json line = {{"at_unix_ms", now},
                           {"to", request->email()},
                           {"order_id", request->order().order_id()},
                           {"tracking_id", request->order().shipping_tracking_id()},
                           {"items", request->order().items_size()}};
    std::string text = line.dump() + "\n";
    static auto& sent =
        registry().counter("shop_emails_sent_total", "Order confirmations written.", {}).with({});
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (outbox_ != nullptr) {
        if (std::fwrite(text.data(), 1, text.size(), outbox_) != text.size() ||
            std::fflush(outbox_) != 0) {
          return grpc::Status(grpc::INTERNAL, "outbox write failed");
        }
      }
    }
    sent.inc();
    log_info("confirmation for order " + request->order().order_id() + " to " + request->email());
    return grpc::Status::OK;
  });
}

GrpcServiceSpec email_service_spec() {
  GrpcServiceSpec spec;
  spec.name = "email";
  spec.default_port = 8080;
  spec.build = [](const Env& env, ServerRuntime& runtime) -> stampede::Result<BuiltServices> {
    std::string outbox = env.string("EMAIL_OUTBOX", "");
    if (outbox.empty()) {
      if (auto dir = env.raw("SHOP_DATA_DIR")) outbox = *dir + "/outbox.jsonl";
    }
    auto service = EmailService::open(runtime, outbox);
    if (!service.ok()) return service.error();
    BuiltServices built;
    built.services.push_back(std::move(service.value()));
    built.health_names.push_back("hipstershop.EmailService");
    return built;
  };
  return spec;
}

}  // namespace shop
