#include "tests/runtime/grpc_load.h"

#include <grpcpp/grpcpp.h>

#include "demo.grpc.pb.h"
#include "tests/runtime/local_shop.h"

namespace runtime_test {

std::string get_product_once(uint16_t port, std::chrono::milliseconds deadline) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
  auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                           grpc::InsecureChannelCredentials(), args);
  auto stub = hipstershop::ProductCatalogService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  hipstershop::GetProductRequest request;
  request.set_id("OLJCESPC7Z");
  hipstershop::Product product;
  grpc::Status status = stub->GetProduct(&context, request, &product);
  if (!status.ok()) return std::to_string(status.error_code()) + ": " + status.error_message();
  if (product.id() != "OLJCESPC7Z") return "wrong product '" + product.id() + "'";
  return "";
}

GrpcLoad::GrpcLoad(uint16_t port, double rate, std::chrono::milliseconds duration)
    : thread_([this, port, rate, duration] { run(port, rate, duration); }) {}

GrpcLoad::~GrpcLoad() {
  stop();
}

void GrpcLoad::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void GrpcLoad::wait() {
  if (thread_.joinable()) thread_.join();
}

std::vector<CallOutcome> GrpcLoad::outcomes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return outcomes_;
}

void GrpcLoad::run(uint16_t port, double rate, std::chrono::milliseconds duration) {
  auto start = std::chrono::steady_clock::now();
  auto interval = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / rate));
  auto next = start;
  while (!stop_ && std::chrono::steady_clock::now() - start < duration) {
    std::this_thread::sleep_until(next);
    next += interval;
    CallOutcome o;
    o.mono_ns = mono_now_ns();
    o.error = get_product_once(port, std::chrono::seconds(2));
    o.ok = o.error.empty();
    std::lock_guard<std::mutex> lock(mu_);
    outcomes_.push_back(o);
  }
}

}  // namespace runtime_test
