// LocalPlatform against FakeRuntimeApi: a FAKE control API server in the contract's shape
// (the real `stampede up` is tested with it in tests/chaos).
#include "engine/platform/local_platform.h"

#include <gtest/gtest.h>

#include <fstream>

#include "engine/platform/testing/fake_platform.h"
#include "engine/platform/testing/fake_runtime_api.h"
#include "engine/platform/testing/temp_dir.h"

namespace stampede {
namespace {

DeploymentState deployment(const std::string& name) {
  DeploymentState d;
  d.name = name;
  ProbeSpec live;
  live.handler = "grpc";
  live.period_seconds = 2;
  live.failure_threshold = 2;
  d.probes.liveness = live;
  d.termination_grace_period_seconds = 3;
  return d;
}

class LocalPlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.add_deployment(deployment("cart"), 2);
    DeploymentState frontend = deployment("frontend");
    frontend.hpa = cpu_hpa("frontend", 1, 4, 70);
    fake_.add_deployment(frontend, 1);
    auto api = FakeRuntimeApi::start(fake_, dir_.path());
    ASSERT_TRUE(api.ok()) << api.error().message();
    api_ = std::move(api).value();
    auto platform = LocalPlatform::connect(dir_.path(), std::chrono::milliseconds(3000));
    ASSERT_TRUE(platform.ok()) << platform.error().message();
    platform_ = std::move(platform).value();
  }

  TempDir dir_;
  FakePlatform fake_;
  std::unique_ptr<FakeRuntimeApi> api_;
  std::unique_ptr<LocalPlatform> platform_;
};

TEST_F(LocalPlatformTest, ReadsDeploymentsPodsHpasAndEvents) {
  EXPECT_NE(platform_->describe().find(api_->url()), std::string::npos);
  auto deployments = platform_->deployments();
  ASSERT_TRUE(deployments.ok()) << deployments.error().message();
  ASSERT_EQ(deployments.value().size(), 2u);
  EXPECT_EQ(deployments.value()[0].name, "cart");
  ASSERT_TRUE(deployments.value()[0].probes.liveness);
  EXPECT_EQ(deployments.value()[0].probes.liveness->period_seconds, 2);
  EXPECT_EQ(deployments.value()[0].termination_grace_period_seconds, 3);
  ASSERT_TRUE(deployments.value()[1].hpa);
  EXPECT_EQ(deployments.value()[1].hpa->max_replicas, 4);

  auto pods = platform_->pods("app=cart");
  ASSERT_TRUE(pods.ok()) << pods.error().message();
  ASSERT_EQ(pods.value().size(), 2u);
  EXPECT_EQ(pods.value()[0].deployment, "cart");
  EXPECT_TRUE(pods.value()[0].ready);

  auto hpas = platform_->hpas();
  ASSERT_TRUE(hpas.ok());
  ASSERT_EQ(hpas.value().size(), 1u);
  EXPECT_EQ(hpas.value()[0].deployment, "frontend");

  auto first = platform_->events_since(0);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(platform_->kill_pod("cart-1").ok());
  auto after = platform_->events_since(first.value().next);
  ASSERT_TRUE(after.ok());
  ASSERT_FALSE(after.value().events.empty());
  EXPECT_EQ(after.value().events[0].kind, "pod-terminated");
  EXPECT_EQ(after.value().events[0].pod, "cart-1");
  EXPECT_GT(after.value().next, first.value().next);
}

TEST_F(LocalPlatformTest, ActsAndUndoesThroughTheApi) {
  FaultKnobs k;
  k.error_rate = 1;
  k.methods = {"GetCart"};
  ASSERT_TRUE(platform_->set_pod_faults("cart-1", k).ok());
  ASSERT_TRUE(fake_.pod_faults("cart-1"));
  EXPECT_EQ(*fake_.pod_faults("cart-1")->error_rate, 1);
  EXPECT_EQ(fake_.pod_faults("cart-1")->methods, std::vector<std::string>{"GetCart"});
  ASSERT_TRUE(platform_->clear_pod_faults("cart-1").ok());
  EXPECT_FALSE(fake_.pod_faults("cart-1"));

  ASSERT_TRUE(platform_->pause_pod("cart-2").ok());
  EXPECT_TRUE(fake_.paused("cart-2"));
  ASSERT_TRUE(platform_->resume_pod("cart-2").ok());
  EXPECT_FALSE(fake_.paused("cart-2"));
  // Undo calls succeed when there is nothing left to undo: 409 not paused, 404 gone.
  EXPECT_TRUE(platform_->resume_pod("cart-2").ok());
  EXPECT_TRUE(platform_->resume_pod("cart-99").ok());
  EXPECT_TRUE(platform_->clear_pod_faults("cart-99").ok());
  EXPECT_TRUE(platform_->clear_service_fault("cart").ok());

  NetworkFault f;
  f.latency_ms = 300;
  ASSERT_TRUE(platform_->set_service_fault("cart", f).ok());
  ASSERT_TRUE(fake_.service_fault("cart"));
  EXPECT_EQ(fake_.service_fault("cart")->latency_ms, 300);
  ASSERT_TRUE(platform_->clear_service_fault("cart").ok());
  EXPECT_FALSE(fake_.service_fault("cart"));

  ASSERT_TRUE(platform_->scale("cart", 3).ok());
  EXPECT_EQ(fake_.replicas("cart"), 3);
  ASSERT_TRUE(platform_->rollout_restart("cart").ok());
  std::string fresh = fake_.pod_names("cart").front();  // the rollout replaced every pod
  ASSERT_TRUE(platform_->terminate_pod(fresh, 2).ok());
  std::vector<std::string> calls = fake_.calls();
  EXPECT_NE(std::find(calls.begin(), calls.end(), "restart cart"), calls.end());
  EXPECT_EQ(calls.back(), "terminate " + fresh + " 2.000000");
}

TEST_F(LocalPlatformTest, ErrorsNameTheCallAndTheApiMessage) {
  Status st = platform_->kill_pod("nope-1");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message(), "POST /v1/pods/nope-1/kill: 404 pod 'nope-1' not found");
  Status scale = platform_->scale("nope", 1);
  ASSERT_FALSE(scale.ok());
  EXPECT_NE(scale.error().message().find("deployment 'nope' not found"), std::string::npos);
}

TEST_F(LocalPlatformTest, ScrapesAPodsMetricsFromItsOwnPort) {
  fake_.set_metrics("cart", "shop_circuit_breaker_state{dependency=\"redis\"} 1\n");
  auto text = platform_->pod_metrics("cart-2");
  ASSERT_TRUE(text.ok()) << text.error().message();
  EXPECT_EQ(text.value(), "shop_circuit_breaker_state{dependency=\"redis\"} 1\n");
}

TEST(LocalPlatformConnectTest, MissingRuntimeJsonSaysWhatToDo) {
  TempDir dir;
  auto p = LocalPlatform::connect(dir.path());
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message().find(dir.path() + "/runtime.json: not found"), std::string::npos)
      << p.error().message();
  EXPECT_NE(p.error().message().find("stampede up"), std::string::npos);
}

TEST(LocalPlatformConnectTest, UnreachableApiIsAnErrorNamingTheFile) {
  TempDir dir;
  FakePlatform fake;
  std::string url;
  {
    auto api = FakeRuntimeApi::start(fake, dir.path());
    ASSERT_TRUE(api.ok());
    url = api.value()->url();
  }  // stopped: runtime.json now points at a closed port
  auto p = LocalPlatform::connect(dir.path(), std::chrono::milliseconds(1000));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message().find("is not reachable"), std::string::npos) << p.error().message();
  EXPECT_NE(p.error().message().find(url), std::string::npos) << p.error().message();
}

TEST(LocalPlatformConnectTest, WrongTokenIsRefused) {
  TempDir dir;
  FakePlatform fake;
  auto api = FakeRuntimeApi::start(fake, dir.path(), "right");
  ASSERT_TRUE(api.ok());
  RuntimeInfo info;
  info.api = api.value()->url();
  info.token = "wrong";
  LocalPlatform p(info, dir.path(), std::chrono::milliseconds(2000));
  Status st = p.ping();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("401"), std::string::npos) << st.error().message();
}

TEST(LocalPlatformConnectTest, MalformedRuntimeJson) {
  TempDir dir;
  std::ofstream(dir.path() + "/runtime.json") << "{\"api\": \"http://127.0.0.1:1\"}";
  auto p = LocalPlatform::connect(dir.path());
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message().find("no \"token\""), std::string::npos) << p.error().message();
  std::ofstream(dir.path() + "/runtime.json") << "not json";
  auto q = LocalPlatform::connect(dir.path());
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.error().message().find("not a JSON object"), std::string::npos);
}

}  // namespace
}  // namespace stampede
