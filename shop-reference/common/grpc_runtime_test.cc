// What every service gets from ServerRuntime and HealthService, exercised on services served
// in-process: grpc.health.v1, and the latency, error and hang fault knobs.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "shop-reference/common/shop_metrics.h"
#include "shop-reference/common/testing/inprocess_shop.h"

namespace shop::testing {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class GrpcRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = InProcessShop::start();
    ASSERT_TRUE(started.ok()) << started.error().message();
    shop_ = std::move(started.value());
  }

  grpc::Status health(ShopService service, const std::string& name, HealthCheckResponse* out,
                      milliseconds deadline = milliseconds(10000)) {
    HealthCheckRequest request;
    request.set_service(name);
    return call_rpc([&](auto* c) { return shop_->health(service).Check(c, request, out); },
                    deadline);
  }

  grpc::Status currencies(milliseconds deadline = milliseconds(10000)) {
    hipstershop::GetSupportedCurrenciesResponse out;
    return call_rpc(
        [&](auto* c) {
          return shop_->currency().GetSupportedCurrencies(c, hipstershop::Empty(), &out);
        },
        deadline);
  }

  std::unique_ptr<InProcessShop> shop_;
};

// The value of one series ("name{labels}") in this process's registry, 0 when absent.
double metric(const std::string& series) {
  std::istringstream text(registry().render());
  for (std::string line; std::getline(text, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return 0;
}

double requests_total(const std::string& method, const std::string& code) {
  return metric("shop_grpc_requests_total{method=\"" + method + "\",code=\"" + code + "\"}");
}

// Polls `done` every 10 ms for at most 20 s; true when it became true.
template <class Done>
bool eventually(Done done) {
  auto until = Clock::now() + milliseconds(20'000);
  while (!done()) {
    if (Clock::now() >= until) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

TEST_F(GrpcRuntimeTest, HealthIsServingForEmptyAndOwnName) {
  HealthCheckResponse r;
  ASSERT_TRUE(health(ShopService::kCart, "", &r).ok());
  EXPECT_EQ(r.status(), HealthCheckResponse::SERVING);
  ASSERT_TRUE(health(ShopService::kCart, "hipstershop.CartService", &r).ok());
  EXPECT_EQ(r.status(), HealthCheckResponse::SERVING);
  ASSERT_TRUE(health(ShopService::kOrders, "hipstershop.OrderService", &r).ok());
  EXPECT_EQ(r.status(), HealthCheckResponse::SERVING);
}

TEST_F(GrpcRuntimeTest, HealthAnswersNotFoundForAnUnknownServiceName) {
  HealthCheckResponse r;
  auto s = health(ShopService::kCart, "hipstershop.NoSuchService", &r);
  EXPECT_EQ(s.error_code(), grpc::NOT_FOUND);
  // Another service's name is unknown here too: each port answers for its own service.
  EXPECT_EQ(health(ShopService::kCart, "hipstershop.PaymentService", &r).error_code(),
            grpc::NOT_FOUND);
}

TEST_F(GrpcRuntimeTest, UnhealthyKnobSaysNotServingButStillServes) {
  FaultSpec unhealthy;
  unhealthy.unhealthy = true;
  shop_->set_faults(ShopService::kCurrency, unhealthy);
  HealthCheckResponse r;
  ASSERT_TRUE(health(ShopService::kCurrency, "", &r).ok());
  EXPECT_EQ(r.status(), HealthCheckResponse::NOT_SERVING);
  ASSERT_TRUE(health(ShopService::kCurrency, "hipstershop.CurrencyService", &r).ok());
  EXPECT_EQ(r.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_TRUE(currencies().ok());
  // Other services keep their own knobs.
  ASSERT_TRUE(health(ShopService::kCart, "", &r).ok());
  EXPECT_EQ(r.status(), HealthCheckResponse::SERVING);

  shop_->set_faults(ShopService::kCurrency, FaultSpec{});
  ASSERT_TRUE(health(ShopService::kCurrency, "", &r).ok());
  EXPECT_EQ(r.status(), HealthCheckResponse::SERVING);
}

TEST_F(GrpcRuntimeTest, ErrorRateOneAnswersUnavailable) {
  FaultSpec errors;
  errors.error_rate = 1;
  shop_->set_faults(ShopService::kCurrency, errors);
  for (int i = 0; i < 5; ++i) {
    auto s = currencies();
    EXPECT_EQ(s.error_code(), grpc::UNAVAILABLE);
    EXPECT_NE(s.error_message().find("injected fault"), std::string::npos) << s.error_message();
  }
  // Probes are not failed by the error knob.
  HealthCheckResponse r;
  ASSERT_TRUE(health(ShopService::kCurrency, "", &r).ok());
  EXPECT_EQ(r.status(), HealthCheckResponse::SERVING);
  shop_->set_faults(ShopService::kCurrency, FaultSpec{});
  EXPECT_TRUE(currencies().ok());
}

TEST_F(GrpcRuntimeTest, FaultsCanTargetOneMethod) {
  FaultSpec errors;
  errors.error_rate = 1;
  errors.methods = {"Convert"};
  shop_->set_faults(ShopService::kCurrency, errors);
  EXPECT_TRUE(currencies().ok());
  hipstershop::CurrencyConversionRequest request;
  request.mutable_from()->set_currency_code("USD");
  request.set_to_code("EUR");
  hipstershop::Money out;
  EXPECT_EQ(
      call_rpc([&](auto* c) { return shop_->currency().Convert(c, request, &out); }).error_code(),
      grpc::UNAVAILABLE);
}

TEST_F(GrpcRuntimeTest, LatencyIsAddedAndCutByTheClientDeadline) {
  FaultSpec slow;
  slow.latency_ms = 300;
  shop_->set_faults(ShopService::kCurrency, slow);
  // A lower bound only: the knob guarantees at least this wait, however loaded the machine is.
  auto started = Clock::now();
  ASSERT_TRUE(currencies().ok());
  EXPECT_GE(Clock::now() - started, milliseconds(300));

  slow.latency_ms = 60'000;
  shop_->set_faults(ShopService::kCurrency, slow);
  started = Clock::now();
  EXPECT_EQ(currencies(milliseconds(200)).error_code(), grpc::DEADLINE_EXCEEDED);
  EXPECT_LT(Clock::now() - started, milliseconds(30'000));
}

TEST_F(GrpcRuntimeTest, HangIsReleasedWhenTheClientDeadlinePasses) {
  const double cancelled_before = requests_total("GetAds", "cancelled");
  FaultSpec hang;
  hang.hang = true;
  shop_->set_faults(ShopService::kAd, hang);
  hipstershop::AdRequest request;
  hipstershop::AdResponse response;
  auto started = Clock::now();
  auto s = call_rpc([&](auto* c) { return shop_->ad().GetAds(c, request, &response); },
                    milliseconds(300));
  EXPECT_TRUE(s.error_code() == grpc::DEADLINE_EXCEEDED || s.error_code() == grpc::CANCELLED)
      << s.error_code() << " " << s.error_message();
  EXPECT_LT(Clock::now() - started, milliseconds(30'000));

  // The handler itself gives up once the client is gone (it records CANCELLED), while the
  // service still hangs.
  EXPECT_TRUE(
      eventually([&] { return requests_total("GetAds", "cancelled") >= cancelled_before + 1; }));

  // Health checks hang too, as a real hang would.
  HealthCheckResponse r;
  EXPECT_EQ(health(ShopService::kAd, "", &r, milliseconds(300)).error_code(),
            grpc::DEADLINE_EXCEEDED);

  shop_->set_faults(ShopService::kAd, FaultSpec{});
  EXPECT_TRUE(call_rpc([&](auto* c) { return shop_->ad().GetAds(c, request, &response); }).ok());
}

TEST_F(GrpcRuntimeTest, HungRequestsEndWhenTheShopShutsDown) {
  const double hangs_before = metric("shop_faults_injected_total{kind=\"hang\"}");
  FaultSpec hang;
  hang.hang = true;
  shop_->set_faults(ShopService::kCurrency, hang);
  grpc::Status s;
  std::thread caller([&] { s = currencies(milliseconds(60'000)); });
  // Once the request hangs in the handler, tear the shop down under it.
  EXPECT_TRUE(eventually(
      [&] { return metric("shop_faults_injected_total{kind=\"hang\"}") >= hangs_before + 1; }));
  auto started = Clock::now();
  shop_.reset();
  caller.join();
  EXPECT_FALSE(s.ok());
  EXPECT_LT(Clock::now() - started, milliseconds(30'000));
}

}  // namespace
}  // namespace shop::testing
