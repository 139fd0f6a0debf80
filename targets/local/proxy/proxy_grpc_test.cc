// gRPC (HTTP/2) through the proxy: the standard health service, served by a real gRPC server on
// loopback with the shop's generated code, called unary (concurrently, multiplexed on one
// connection) and server-streaming; after reset_existing the channel reconnects through the
// proxy; under a blackhole calls time out instead of failing fast.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "health.grpc.pb.h"
#include "targets/local/proxy/service_proxy.h"
#include "targets/local/proxy/testing/proxy_fixture.h"

namespace stampede::local::testing {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Answers SERVING to Check; Watch sends SERVING three times, then ends.
class CountingHealth final : public Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext*, const HealthCheckRequest*,
                     HealthCheckResponse* response) override {
    ++checks;
    response->set_status(HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }
  grpc::Status Watch(grpc::ServerContext*, const HealthCheckRequest*,
                     grpc::ServerWriter<HealthCheckResponse>* writer) override {
    HealthCheckResponse response;
    response.set_status(HealthCheckResponse::SERVING);
    for (int i = 0; i < 3; ++i) {
      if (!writer->Write(response)) break;
    }
    return grpc::Status::OK;
  }
  std::atomic<int> checks{0};
};

class ServiceProxyGrpc : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&health_);
    server_ = builder.BuildAndStart();
    ASSERT_TRUE(server_ && port > 0);
    proxy_ = start_proxy("checkoutservice");
    ASSERT_TRUE(proxy_);
    proxy_->set_endpoints({endpoint_at(static_cast<uint16_t>(port), "checkout-0")});
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(proxy_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = Health::NewStub(channel_);
  }

  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
  }

  grpc::Status check(std::chrono::milliseconds deadline = std::chrono::seconds(10),
                     bool wait_for_ready = false) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    context.set_wait_for_ready(wait_for_ready);
    HealthCheckResponse response;
    const grpc::Status status = stub_->Check(&context, HealthCheckRequest(), &response);
    if (status.ok()) {
      EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
    }
    return status;
  }

  CountingHealth health_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ServiceProxy> proxy_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Health::Stub> stub_;
};

TEST_F(ServiceProxyGrpc, UnaryAndStreamingCallsShareOneConnection) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (!check().ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(health_.checks.load(), 100);

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto reader = stub_->Watch(&context, HealthCheckRequest());
  HealthCheckResponse update;
  int updates = 0;
  while (reader->Read(&update)) ++updates;
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_EQ(updates, 3);
  // HTTP/2 multiplexes every call on the channel's one connection.
  EXPECT_EQ(proxy_->stats().connections_accepted, 1u);
  EXPECT_GT(proxy_->stats().bytes_up, 0u);
  EXPECT_GT(proxy_->stats().bytes_down, 0u);
}

TEST_F(ServiceProxyGrpc, TheChannelReconnectsAfterItsConnectionIsReset) {
  ASSERT_TRUE(check().ok());
  ProxyFault fault;
  fault.reset_existing = true;
  ASSERT_TRUE(proxy_->set_fault(fault).ok());
  EXPECT_TRUE(eventually([&] { return proxy_->stats().active_connections == 0; }));
  // Until the channel has read the reset, a call still goes out on the dead connection and
  // fails (UNAVAILABLE), as it would against kube-proxy; clients retry. Then wait_for_ready
  // rides out the reconnect instead of failing on it.
  EXPECT_TRUE(eventually([&] { return channel_->GetState(false) != GRPC_CHANNEL_READY; }));
  const grpc::Status status = check(std::chrono::seconds(20), /*wait_for_ready=*/true);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(proxy_->stats().connections_accepted, 2u);
  EXPECT_EQ(proxy_->stats().connections_reset, 1u);
}

TEST_F(ServiceProxyGrpc, CallsTimeOutInABlackhole) {
  ASSERT_TRUE(check().ok());
  ProxyFault fault;
  fault.blackhole = true;
  ASSERT_TRUE(proxy_->set_fault(fault).ok());
  const grpc::Status status = check(std::chrono::milliseconds(300));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_EQ(health_.checks.load(), 1);
}

}  // namespace
}  // namespace stampede::local::testing
