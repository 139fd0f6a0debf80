// Dependency against a real in-process gRPC server whose handler runs under ServerRuntime, so the
// fault knobs drive the failures the client must survive.
#include "shop-reference/common/dependency.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "health.grpc.pb.h"
#include "shop-reference/common/server_runtime.h"
#include "shop-reference/common/testing/env_of.h"

namespace shop {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

class CountingService final : public Health::Service {
 public:
  explicit CountingService(ServerRuntime& runtime) : runtime_(runtime) {}
  grpc::Status Check(grpc::ServerContext* context, const HealthCheckRequest* request,
                     HealthCheckResponse* response) override {
    return runtime_.serve(context, "Check", [&] {
      ++calls;
      if (fail_unavailable) return grpc::Status(grpc::UNAVAILABLE, "down");
      if (request->service() == "missing") return grpc::Status(grpc::NOT_FOUND, "no");
      response->set_status(HealthCheckResponse::SERVING);
      return grpc::Status::OK;
    });
  }
  std::atomic<int> calls{0};
  std::atomic<bool> fail_unavailable{false};

 private:
  ServerRuntime& runtime_;
};

class DependencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(port_, 0);
  }
  void TearDown() override { server_->Shutdown(std::chrono::system_clock::now()); }

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  grpc::Status check(Dependency& dep, std::string service = "", bool idempotent = true) {
    auto stub = Health::NewStub(dep.channel());
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    return dep.call("Check", idempotent, [&](grpc::ClientContext& context) {
      return stub->Check(&context, request, &response);
    });
  }

  ServerRuntime runtime_{"test"};
  CountingService service_{runtime_};
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(DependencyTest, PassesThroughSuccessAndBusinessErrors) {
  Dependency dep("test", address(), CallPolicy{});
  EXPECT_TRUE(check(dep).ok());
  EXPECT_EQ(check(dep, "missing").error_code(), grpc::NOT_FOUND);
  EXPECT_EQ(service_.calls.load(), 2);  // NOT_FOUND is not retried
  EXPECT_EQ(dep.breaker_state(), BreakerState::kClosed);
}

TEST_F(DependencyTest, RetriesIdempotentCallsOnly) {
  service_.fail_unavailable = true;
  CallPolicy p;
  p.retries = 2;
  p.backoff = std::chrono::milliseconds(1);
  p.breaker.enabled = false;
  Dependency dep("test", address(), p);
  EXPECT_EQ(check(dep).error_code(), grpc::UNAVAILABLE);
  EXPECT_EQ(service_.calls.load(), 3);  // the call and two retries
  EXPECT_EQ(check(dep, "", /*idempotent=*/false).error_code(), grpc::UNAVAILABLE);
  EXPECT_EQ(service_.calls.load(), 4);  // not retried
  service_.fail_unavailable = false;
  EXPECT_TRUE(check(dep).ok());
  EXPECT_EQ(service_.calls.load(), 5);
}

TEST_F(DependencyTest, DeadlineCutsASlowCall) {
  FaultSpec s;
  s.latency_ms = 5000;
  runtime_.faults().set(s);
  CallPolicy p;
  p.deadline = std::chrono::milliseconds(50);
  p.retries = 0;
  Dependency dep("test", address(), p);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(check(dep).error_code(), grpc::DEADLINE_EXCEEDED);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
}

TEST_F(DependencyTest, BreakerOpensThenFailsFastWithoutCalling) {
  FaultSpec s;
  s.error_rate = 1;
  runtime_.faults().set(s);
  CallPolicy p;
  p.retries = 0;
  p.breaker.consecutive_failures = 3;
  p.breaker.open_for = std::chrono::milliseconds(200);
  Dependency dep("test", address(), p);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(check(dep).error_code(), grpc::UNAVAILABLE);
  EXPECT_EQ(dep.breaker_state(), BreakerState::kOpen);
  runtime_.faults().set(FaultSpec{});  // the dependency recovers, but the breaker is open
  grpc::Status fast = check(dep);
  EXPECT_EQ(fast.error_code(), grpc::UNAVAILABLE);
  EXPECT_EQ(fast.error_message(), "circuit breaker open for test");
  EXPECT_EQ(service_.calls.load(), 0);
  // After the open period one trial call goes through and closes it.
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_TRUE(check(dep).ok());
  EXPECT_EQ(dep.breaker_state(), BreakerState::kClosed);
  EXPECT_EQ(service_.calls.load(), 1);
}

TEST_F(DependencyTest, UnreachableAddressFailsAsUnavailable) {
  CallPolicy p;
  p.retries = 0;
  p.deadline = std::chrono::milliseconds(500);
  Dependency dep("gone", "127.0.0.1:1", p);
  auto code = check(dep).error_code();
  EXPECT_TRUE(code == grpc::UNAVAILABLE || code == grpc::DEADLINE_EXCEEDED) << code;
}

using testing::env_of;

TEST(CallPolicyEnv, DependencyPrefixOverridesShopDefaults) {
  auto p = call_policy_from_env(env_of({{"SHOP_DEADLINE_MS", "700"},
                                        {"PAYMENT_DEADLINE_MS", "250"},
                                        {"SHOP_BREAKER_FAILURES", "9"},
                                        {"PAYMENT_BREAKER_OPEN_MS", "1234"},
                                        {"SHOP_BREAKER_ENABLED", "false"}}),
                                "PAYMENT");
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p.value().deadline.count(), 250);
  EXPECT_EQ(p.value().breaker.consecutive_failures, 9);
  EXPECT_EQ(p.value().breaker.open_for.count(), 1234);
  EXPECT_FALSE(p.value().breaker.enabled);
  auto cart = call_policy_from_env(env_of({{"SHOP_DEADLINE_MS", "700"}}), "CART");
  EXPECT_EQ(cart.value().deadline.count(), 700);
}

TEST(CallPolicyEnv, BadValuesNameTheVariable) {
  auto p = call_policy_from_env(env_of({{"PAYMENT_RETRIES", "many"}}), "PAYMENT");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message().find("PAYMENT_RETRIES"), std::string::npos);
  auto zero = call_policy_from_env(env_of({{"SHOP_DEADLINE_MS", "0"}}), "CART");
  ASSERT_FALSE(zero.ok());
}

}  // namespace
}  // namespace shop
