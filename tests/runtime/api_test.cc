// The control API against a running `stampede up` (docs/local-runtime-api.md): the token, 404s
// and 405s, and every action with its effect on the real pods.
#include <gtest/gtest.h>

#include "tests/runtime/local_shop.h"

namespace runtime_test {
namespace {

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    UpOptions options;
    options.enabled = {"productcatalog", "currency"};
    options.sets = {"services.productcatalog.readinessProbe.periodSeconds=1",
                    "services.productcatalog.terminationGracePeriodSeconds=2",
                    "services.productcatalog.env.SHUTDOWN_DELAY_MS=0"};
    shop_ = LocalShop::up(options).release();
  }
  static void TearDownTestSuite() {
    delete shop_;
    shop_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(shop_->ready()) << shop_->up_output(); }

  static std::string one_pod(const std::string& deployment) {
    json pods = shop_->pods(deployment);
    for (const auto& p : pods) {
      if (p["state"] == "running" && p["ready"] == true) return p["name"];
    }
    return "";
  }
  static bool settled(const std::string& deployment, int replicas) {
    json d = shop_->deployment(deployment);
    return d.is_object() && d["ready"] == replicas && d["current"] == replicas &&
           shop_->pods(deployment).size() == static_cast<size_t>(replicas);
  }

  static LocalShop* shop_;
};

LocalShop* ApiTest::shop_ = nullptr;

TEST_F(ApiTest, EveryRequestNeedsTheToken) {
  stampede::local::RuntimeInfo wrong = shop_->info();
  wrong.token = "not-the-token";
  auto r = stampede::local::api_call(wrong, "GET", "/v1/pods");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().status, 401);
  EXPECT_EQ(r.value().body["error"], "wrong token");
  wrong.token = "";
  auto none = stampede::local::api_call(wrong, "POST", "/v1/shutdown");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.value().status, 401);
  EXPECT_TRUE(shop_->deployment("productcatalog").is_object());  // still running
}

TEST_F(ApiTest, UnknownThingsAre404AndWrongMethods405) {
  auto expect = [](const std::string& method, const std::string& path, int status,
                   const std::string& error, const std::string& body = "") {
    auto a = shop_->call(method, path, body);
    EXPECT_EQ(a.status, status) << method << " " << path << " " << a.body.dump();
    if (!error.empty()) {
      EXPECT_EQ(a.body["error"], error) << method << " " << path;
    }
  };
  expect("GET", "/v1/pods/nope", 404, "unknown pod 'nope'");
  expect("POST", "/v1/pods/nope/kill", 404, "unknown pod 'nope'");
  expect("PUT", "/v1/pods/nope/faults", 404, "unknown pod 'nope'", "{}");
  expect("GET", "/v1/deployments/nope", 404, "unknown deployment 'nope'");
  expect("GET", "/v1/pods?deployment=nope", 404, "unknown deployment 'nope'");
  expect("POST", "/v1/deployments/nope/scale", 404, "unknown deployment 'nope'",
         R"({"replicas":1})");
  expect("POST", "/v1/deployments/nope/restart", 404, "unknown deployment 'nope'");
  expect("PUT", "/v1/services/nope/fault", 404, "unknown service 'nope'", "{}");
  expect("GET", "/v1/nothing", 404, "no such resource: /v1/nothing");
  expect("GET", "/v1/pods/" + one_pod("currency") + "/kill", 405,
         "use POST for /v1/pods/{name}/kill");
  expect("POST", "/v1/pods", 405, "use GET for this resource");
  expect("GET", "/v1/shutdown", 405, "");
  expect("POST", "/v1/deployments/currency/scale", 400,
         "replicas: expected an integer 0..1000, got \"two\"", R"({"replicas":"two"})");
  expect("POST", "/v1/deployments/currency/scale", 400, "", "not json");
  expect("PUT", "/v1/services/currency/fault", 400, "latency: unknown fault field",
         R"({"latency":5})");
  expect("POST", "/v1/pods/" + one_pod("currency") + "/resume", 409, "");
  expect("GET", "/v1/pods?selector=app", 400, "");
}

TEST_F(ApiTest, ReadsDescribeDeploymentsPodsServicesAndEvents) {
  json status = shop_->get("/v1/status");
  EXPECT_EQ(status["pid"], shop_->info().pid);
  EXPECT_EQ(status["state_dir"], shop_->state_dir());
  EXPECT_TRUE(status["cpu_limits"].is_string());
  json d = shop_->deployment("productcatalog");
  EXPECT_EQ(d["probes"]["readiness"]["kind"], "grpc");
  EXPECT_EQ(d["probes"]["readiness"]["period_seconds"], 1);
  EXPECT_EQ(d["probes"]["liveness"]["failure_threshold"], 3);
  EXPECT_TRUE(d["probes"]["startup"].is_null());
  EXPECT_EQ(d["strategy"]["max_surge"], 1);
  EXPECT_EQ(d["strategy"]["max_unavailable"], 0);
  EXPECT_TRUE(d["hpa"].is_null());
  json pods = shop_->get("/v1/pods?selector=app%3Dcurrency");
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(pods[0]["deployment"], "currency");
  EXPECT_EQ(pods[0]["labels"]["app"], "currency");
  EXPECT_GT(pods[0]["ports"]["grpc"].get<int>(), 0);
  EXPECT_GT(pods[0]["created"]["mono_ns"].get<int64_t>(), 0);
  json services = shop_->get("/v1/services");
  ASSERT_EQ(services.size(), 2u);
  json events = shop_->get("/v1/events?since=1");
  EXPECT_GT(events["next"].get<uint64_t>(), 1u);
  EXPECT_EQ(events["events"][0]["seq"], 1);
  EXPECT_EQ(shop_->call("GET", "/v1/events?since=x").status, 400);
}

TEST_F(ApiTest, KillRestartsTheContainer) {
  std::string pod = one_pod("currency");
  ASSERT_FALSE(pod.empty());
  int pid = shop_->get("/v1/pods/" + pod)["pid"];
  auto a = shop_->call("POST", "/v1/pods/" + pod + "/kill");
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["ok"], true);
  json killed = shop_->find_event("pod-killed", pod);
  ASSERT_TRUE(killed.is_object());
  EXPECT_EQ(killed["seq"], a.body["event_seq"]);
  ASSERT_TRUE(eventually(
      [&] {
        json p = shop_->get("/v1/pods/" + pod);
        return p["restarts"] == 1 && p["ready"] == true && p["pid"] != pid;
      },
      std::chrono::seconds(30)));
  EXPECT_EQ(shop_->get("/v1/pods/" + pod)["last_exit"]["signal"], 9);
}

TEST_F(ApiTest, PauseAndResume) {
  std::string pod = one_pod("currency");
  ASSERT_EQ(shop_->call("POST", "/v1/pods/" + pod + "/pause").status, 200);
  EXPECT_EQ(shop_->get("/v1/pods/" + pod)["state"], "paused");
  EXPECT_EQ(shop_->call("POST", "/v1/pods/" + pod + "/pause").status, 409);
  auto resumed = shop_->call("POST", "/v1/pods/" + pod + "/resume");
  ASSERT_EQ(resumed.status, 200);
  EXPECT_TRUE(shop_->find_event("pod-resumed", pod).is_object());
  EXPECT_EQ(shop_->get("/v1/pods/" + pod)["state"], "running");
}

TEST_F(ApiTest, TerminateReplacesThePod) {
  std::string pod = one_pod("productcatalog");
  auto a = shop_->call("POST", "/v1/pods/" + pod + "/terminate", R"({"grace_period_seconds": 1})");
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(shop_->call("POST", "/v1/pods/" + pod + "/terminate").status, 409);
  ASSERT_TRUE(eventually(
      [&] {
        json pods = shop_->pods("productcatalog");
        return pods.size() == 1 && pods[0]["name"] != pod && pods[0]["ready"] == true;
      },
      std::chrono::seconds(30)));
  EXPECT_EQ(shop_->call("GET", "/v1/pods/" + pod).status, 404);
}

TEST_F(ApiTest, FaultKnobsAreForwardedToThePod) {
  std::string pod = one_pod("currency");
  auto set = shop_->call("PUT", "/v1/pods/" + pod + "/faults", R"({"latency_ms": 5})");
  ASSERT_EQ(set.status, 200) << set.body.dump();
  EXPECT_EQ(set.body["faults"]["latency_ms"], 5);
  EXPECT_TRUE(shop_->find_event("fault-set", pod).is_object());
  auto bad = shop_->call("PUT", "/v1/pods/" + pod + "/faults", R"({"error_rate": 7})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body["error"].get<std::string>().find("error_rate"), std::string::npos);
  auto cleared = shop_->call("DELETE", "/v1/pods/" + pod + "/faults");
  ASSERT_EQ(cleared.status, 200) << cleared.body.dump();
  EXPECT_EQ(cleared.body["faults"]["latency_ms"], 0);
}

TEST_F(ApiTest, ScaleAndRolloutRestart) {
  auto scaled = shop_->call("POST", "/v1/deployments/currency/scale", R"({"replicas": 2})");
  ASSERT_EQ(scaled.status, 200) << scaled.body.dump();
  ASSERT_TRUE(eventually([&] { return settled("currency", 2); }, std::chrono::seconds(30)));
  EXPECT_EQ(shop_->deployment("currency")["service"]["endpoints"].size(), 2u)
      << shop_->deployment("currency").dump() << "\n"
      << shop_->events().dump();

  std::string old_hash = shop_->deployment("currency")["template_hash"];
  auto restarted = shop_->call("POST", "/v1/deployments/currency/restart");
  ASSERT_EQ(restarted.status, 200);
  EXPECT_EQ(restarted.body["revision"], 2);
  ASSERT_TRUE(eventually(
      [&] {
        json pods = shop_->pods("currency");
        for (const auto& p : pods) {
          if (p["labels"]["pod-template-hash"] == old_hash || p["ready"] != true) return false;
        }
        return pods.size() == 2 && shop_->deployment("currency")["rollout"]["in_progress"] == false;
      },
      std::chrono::seconds(60)));
  EXPECT_TRUE(shop_->find_event("rollout-finished", "").is_object());
  ASSERT_EQ(shop_->call("POST", "/v1/deployments/currency/scale", R"({"replicas": 1})").status,
            200);
  ASSERT_TRUE(eventually([&] { return settled("currency", 1); }, std::chrono::seconds(30)));
}

TEST_F(ApiTest, ServiceFaultsOnTheProxy) {
  auto set = shop_->call("PUT", "/v1/services/currency/fault", R"({"latency_ms": 20})");
  ASSERT_EQ(set.status, 200) << set.body.dump();
  json services = shop_->get("/v1/services");
  for (const auto& s : services) {
    if (s["name"] == "currency") {
      EXPECT_EQ(s["fault"]["latency_ms"], 20);
    }
  }
  ASSERT_EQ(shop_->call("DELETE", "/v1/services/currency/fault").status, 200);
  for (const auto& s : shop_->get("/v1/services")) {
    if (s["name"] == "currency") {
      EXPECT_TRUE(s["fault"].is_null());
    }
  }
  EXPECT_EQ(shop_->call("PUT", "/v1/services/currency/fault", R"({"reset_rate": 3})").status, 400);
}

}  // namespace
}  // namespace runtime_test
