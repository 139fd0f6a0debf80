// KubernetesPlatform against a FAKE API server (targets/kubernetes/testing/fake_api_server.h)
// that answers with fixtures in Kubernetes' own shapes (checked against kubernetes-types by
// tests/chart/kube_fixtures_test.mjs). The real server it meets elsewhere is `stampede up`'s
// (tests/chaos, tests/runtime) and kubectl checks that one.
#include "engine/platform/kubernetes_platform.h"

#include "engine/chaos/rbac_rules.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <thread>

#include "targets/kubernetes/base64.h"
#include "targets/kubernetes/kube_time.h"
#include "targets/kubernetes/request_info.h"
#include "targets/kubernetes/testing/fake_api_server.h"
#include "targets/kubernetes/testing/fixtures.h"

namespace stampede {
namespace {

using kube::testing::FakeApiServer;
using kube::testing::FakeResponse;
using kube::testing::fixture_json;
using kube::testing::fixture_lines;
using nlohmann::json;

constexpr const char* kCore = "/api/v1/namespaces/shop";
constexpr const char* kApps = "/apis/apps/v1/namespaces/shop";
constexpr const char* kHpa = "/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers";

json api_groups(bool extensions) {
  json groups = json::array();
  for (const char* name : {"apps", "autoscaling", "metrics.k8s.io"}) {
    groups.push_back({{"name", name}, {"versions", json::array()}});
  }
  if (extensions) groups.push_back({{"name", "local.stampede.dev"}, {"versions", json::array()}});
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

class KubernetesPlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fake = FakeApiServer::start();
    ASSERT_TRUE(fake.ok()) << fake.error().message();
    fake_ = std::move(fake).value();
    fake_->require_bearer("t0ken");
    fake_->on(
        "GET", "/version",
        FakeResponse::json(200, {{"major", "1"}, {"minor", "31"}, {"gitVersion", "v1.31.0"}}));
    fake_->on("GET", "/apis", FakeResponse::json(200, api_groups(false)));
    fake_->on("GET", std::string(kCore) + "/pods",
              FakeResponse::json(200, fixture_json("pod_list.json")));
    fake_->on("GET", std::string(kApps) + "/deployments",
              FakeResponse::json(200, fixture_json("deployment_list.json")));
    fake_->on("GET", kHpa, FakeResponse::json(200, fixture_json("hpa_list.json")));
    fake_->on("GET", std::string(kCore) + "/events",
              FakeResponse::json(200, fixture_json("event_list.json")));
    fake_->on("GET", std::string(kCore) + "/services",
              FakeResponse::json(200, json::parse(R"({"kind":"ServiceList","apiVersion":"v1",
      "metadata":{"resourceVersion":"48213"},"items":[{"metadata":{"name":"cartservice",
      "namespace":"shop"},"spec":{"selector":{"app":"cartservice"},
      "ports":[{"name":"grpc","port":7070,"targetPort":"grpc","protocol":"TCP"}]}}]})")));
  }

  std::unique_ptr<KubernetesPlatform> connect(KubernetesPlatformOptions options = {},
                                              const std::string& token = "t0ken") {
    kube::RestConfig config;
    config.server = fake_->url();
    config.source = "kubeconfig test, context fake";
    config.bearer_token = token;
    config.namespace_name = "shop";
    options.rest.initial_backoff = std::chrono::milliseconds(5);
    options.watch.initial_backoff = std::chrono::milliseconds(5);
    auto p = KubernetesPlatform::connect(config, options);
    if (!p.ok()) {
      error_ = p.error().message();
      return nullptr;
    }
    return std::move(p).value();
  }

  std::unique_ptr<FakeApiServer> fake_;
  std::string error_;
};

TEST_F(KubernetesPlatformTest, ConnectsNamesItselfAndRefusesWhatAClusterCannotDo) {
  auto p = connect();
  ASSERT_TRUE(p) << error_;
  EXPECT_EQ(p->describe(),
            "Kubernetes " + fake_->url() + " (kubeconfig test, context fake, namespace shop)");
  EXPECT_EQ(p->event_times(), "observed");
  EXPECT_FALSE(p->has_local_extensions());
  EXPECT_NE(p->cannot(Capability::kPausePod).find("no API"), std::string::npos);
  EXPECT_NE(p->cannot(Capability::kServiceFault).find("service mesh"), std::string::npos);
  EXPECT_FALSE(p->pause_pod("x").ok());
  EXPECT_TRUE(p->resume_pod("x").ok()) << "nothing to undo";
  EXPECT_TRUE(
      fake_
          ->requests("POST",
                     std::string("/apis/local.stampede.dev/v1/namespaces/shop/pods/x/pause"))
          .empty());
}

TEST_F(KubernetesPlatformTest, WrongCredentialsSayWhoWasRefused) {
  EXPECT_EQ(connect({}, "wrong"), nullptr);
  EXPECT_NE(error_.find("401"), std::string::npos) << error_;
  EXPECT_NE(error_.find("kubeconfig test, context fake"), std::string::npos) << error_;
}

TEST_F(KubernetesPlatformTest, ReadsDeploymentsPodsAndHpas) {
  fake_->on("GET", "/apis", FakeResponse::json(200, api_groups(true)));
  fake_->on("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods",
            FakeResponse::json(200, json::parse(R"({"kind":"PodMetricsList",
    "apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{
    "name":"cartservice-6d9f7c5b8d-x7k2p","namespace":"shop"},"timestamp":"2026-03-02T10:12:00Z",
    "window":"15s","containers":[{"name":"server","usage":{"cpu":"55m","memory":"40Mi"}}]}]})")));
  auto p = connect();
  ASSERT_TRUE(p) << error_;
  EXPECT_TRUE(p->has_local_extensions());
  EXPECT_EQ(p->cannot(Capability::kPausePod), "");
  auto deployments = p->deployments();
  ASSERT_TRUE(deployments.ok()) << deployments.error().message();
  ASSERT_EQ(deployments.value().size(), 1u);
  const DeploymentState& d = deployments.value()[0];
  EXPECT_EQ(d.name, "cartservice");
  EXPECT_EQ(d.replicas, 3);
  EXPECT_EQ(d.ready, 2);
  EXPECT_EQ(d.service, "cartservice");
  EXPECT_EQ(d.service_port, 7070);
  ASSERT_TRUE(d.hpa.has_value());
  EXPECT_EQ(d.hpa->target_cpu_utilization, 70);
  EXPECT_EQ(d.selector, "app=cartservice");
  auto pods = p->pods("app in (cartservice)");
  ASSERT_TRUE(pods.ok()) << pods.error().message();
  ASSERT_EQ(pods.value().size(), 2u);
  EXPECT_EQ(pods.value()[0].deployment, "cartservice");
  EXPECT_EQ(pods.value()[0].cpu_millicores, 55);
  EXPECT_EQ(pods.value()[0].cpu_utilization, 55);  // of the 100m request
  EXPECT_EQ(pods.value()[1].cpu_utilization, -1);  // no metrics for it
  auto listed = fake_->requests("GET", std::string(kCore) + "/pods");
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(listed.back().param("labelSelector"), "app in (cartservice)");
  EXPECT_FALSE(p->pods("app in (x").ok()) << "a bad selector is refused before it is sent";
  auto hpas = p->hpas();
  ASSERT_TRUE(hpas.ok());
  ASSERT_EQ(hpas.value().size(), 1u);
  EXPECT_EQ(hpas.value()[0].min_replicas, 2);
}

TEST_F(KubernetesPlatformTest, NoMetricsServerMeansUnknownCpu) {
  auto p = connect();
  ASSERT_TRUE(p) << error_;
  auto pods = p->pods("");
  ASSERT_TRUE(pods.ok()) << pods.error().message();
  EXPECT_EQ(pods.value()[0].cpu_utilization, -1);
  p->pods("");
  // One failed try (404: not served), then no more.
  EXPECT_EQ(fake_->requests("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods").size(), 1u);
}

TEST_F(KubernetesPlatformTest, ActsWithTheApisOwnVerbs) {
  KubernetesPlatformOptions options;
  options.name_prefix = "shop-";
  auto p = connect(options);
  ASSERT_TRUE(p) << error_;
  std::string pod = std::string(kCore) + "/pods/cartservice-6d9f7c5b8d-x7k2p";
  fake_->on("DELETE", pod, FakeResponse::json(200, fixture_json("pod_list.json")["items"][0]));
  ASSERT_TRUE(p->kill_pod("cartservice-6d9f7c5b8d-x7k2p").ok());
  ASSERT_TRUE(p->terminate_pod("cartservice-6d9f7c5b8d-x7k2p", 2.5).ok());
  ASSERT_TRUE(p->terminate_pod("cartservice-6d9f7c5b8d-x7k2p", -1).ok());
  auto deletes = fake_->requests("DELETE", pod);
  ASSERT_EQ(deletes.size(), 3u);
  EXPECT_EQ(json::parse(deletes[0].body), json::parse(R"({"gracePeriodSeconds":0})"));
  EXPECT_EQ(json::parse(deletes[1].body), json::parse(R"({"gracePeriodSeconds":3})"));
  EXPECT_TRUE(deletes[2].body.empty());
  Status gone = p->kill_pod("nope");
  ASSERT_FALSE(gone.ok());
  EXPECT_NE(gone.error().message().find("404"), std::string::npos) << gone.error().message();

  std::string scale = std::string(kApps) + "/deployments/shop-cart/scale";
  fake_->on("PATCH", scale, FakeResponse::json(200, fixture_json("scale.json")));
  ASSERT_TRUE(p->scale("cart", 0).ok());
  auto patches = fake_->requests("PATCH", scale);
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(patches[0].header("content-type"), "application/merge-patch+json");
  EXPECT_EQ(json::parse(patches[0].body), json::parse(R"({"spec":{"replicas":0}})"));

  std::string deployment = std::string(kApps) + "/deployments/shop-frontend";
  fake_->on("PATCH", deployment,
            FakeResponse::json(200, fixture_json("deployment_list.json")["items"][0]));
  ASSERT_TRUE(p->rollout_restart("frontend").ok());
  auto restart = fake_->requests("PATCH", deployment);
  ASSERT_EQ(restart.size(), 1u);
  EXPECT_EQ(restart[0].header("content-type"), "application/strategic-merge-patch+json");
  json body = json::parse(restart[0].body);
  std::string at =
      body["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"];
  EXPECT_TRUE(kube::parse_time_us(at).ok()) << at;
}

TEST_F(KubernetesPlatformTest, ForbiddenNamesTheMissingRule) {
  fake_->on("DELETE", std::string(kCore) + "/pods/p1",
            FakeResponse::json(403, kube::testing::fixture_json("status_403.json")));
  auto p = connect();
  ASSERT_TRUE(p) << error_;
  Status st = p->kill_pod("p1");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("\"delete\""), std::string::npos) << st.error().message();
  EXPECT_NE(st.error().message().find("\"pods\""), std::string::npos) << st.error().message();
  EXPECT_NE(st.error().message().find("stampede rbac"), std::string::npos) << st.error().message();
}

TEST_F(KubernetesPlatformTest, FaultKnobsThroughThePodProxyWithTheTokenFromTheSecret) {
  KubernetesPlatformOptions options;
  options.name_prefix = "shop-";
  auto p = connect(options);
  ASSERT_TRUE(p) << error_;
  EXPECT_NE(p->cannot(Capability::kPodFaults).find("Secret 'shop-admin-token' cannot be read"),
            std::string::npos)
      << p->cannot(Capability::kPodFaults);
  // A fresh adapter: the refusal is remembered per adapter.
  fake_->on("GET", std::string(kCore) + "/secrets/shop-admin-token",
            FakeResponse::json(200, {{"kind", "Secret"},
                                     {"apiVersion", "v1"},
                                     {"metadata", {{"name", "shop-admin-token"}}},
                                     {"type", "Opaque"},
                                     {"data", {{"admin-token", kube::base64_encode("s3cret")}}}}));
  p = connect(options);
  ASSERT_TRUE(p) << error_;
  EXPECT_EQ(p->cannot(Capability::kPodFaults), "");
  json pod = fixture_json("pod_list.json")["items"][0];
  pod["spec"]["containers"][0]["ports"].push_back(
      {{"name", "admin"}, {"containerPort", 9465}, {"protocol", "TCP"}});
  std::string name = pod["metadata"]["name"];
  fake_->on("GET", std::string(kCore) + "/pods/" + name, FakeResponse::json(200, pod));
  std::string proxy = std::string(kCore) + "/pods/" + name + ":9465/proxy/admin/faults";
  fake_->on("PUT", proxy, FakeResponse::json(200, {{"error_rate", 1}}));
  fake_->on("DELETE", proxy, FakeResponse::status(404, "pods \"" + name + "\" not found"));
  FaultKnobs knobs;
  knobs.error_rate = 1;
  knobs.methods = {"Charge"};
  Status set = p->set_pod_faults(name, knobs);
  ASSERT_TRUE(set.ok()) << set.error().message();
  auto puts = fake_->requests("PUT", proxy);
  ASSERT_EQ(puts.size(), 1u);
  EXPECT_EQ(puts[0].header("x-admin-token"), "s3cret");
  EXPECT_EQ(json::parse(puts[0].body), json::parse(R"({"error_rate":1.0,"methods":["Charge"]})"));
  EXPECT_TRUE(p->clear_pod_faults(name).ok()) << "a pod that is gone has no fault left";
  // Gone before the revert: its GET is already 404.
  Status gone = p->clear_pod_faults("deleted-meanwhile");
  EXPECT_TRUE(gone.ok()) << gone.error().message();
  // The pod's own 401 is about the admin token, not the cluster's credentials.
  fake_->on("GET", proxy, FakeResponse{401, "missing or wrong admin token\n", "text/plain", {}});
  Status refused = p->check_pod_faults(name);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("the pod answered 401: missing or wrong admin token"),
            std::string::npos)
      << refused.error().message();
  EXPECT_NE(refused.error().message().find("refused the admin token"), std::string::npos);
  EXPECT_EQ(refused.error().message().find("credentials"), std::string::npos)
      << refused.error().message();
  fake_->on("GET", proxy,
            FakeResponse::status(503,
                                 "error trying to reach service: dial tcp 10.0.0.5:9465: "
                                 "connect: connection refused"));
  Status unreachable = p->check_pod_faults(name);
  ASSERT_FALSE(unreachable.ok());
  EXPECT_NE(unreachable.error().message().find("adminToken.listenOnPodIP=true"), std::string::npos)
      << unreachable.error().message();
  // The metrics port by number too.
  fake_->on("GET", std::string(kCore) + "/pods/" + name + ":9090/proxy/metrics",
            FakeResponse{200, "shop_up 1\n", "text/plain; version=0.0.4", {}});
  auto metrics = p->pod_metrics(name);
  ASSERT_TRUE(metrics.ok()) << metrics.error().message();
  EXPECT_EQ(metrics.value(), "shop_up 1\n");
}

TEST_F(KubernetesPlatformTest, TheEnvironmentsTokenWinsAndNoSecretIsRead) {
  ::setenv("STAMPEDE_ADMIN_TOKEN", "from-env", 1);
  auto p = connect();
  ASSERT_TRUE(p) << error_;
  EXPECT_EQ(p->cannot(Capability::kPodFaults), "");
  ::unsetenv("STAMPEDE_ADMIN_TOKEN");
  EXPECT_TRUE(fake_->requests("GET", std::string(kCore) + "/secrets/admin-token").empty());
}

TEST_F(KubernetesPlatformTest, WatchesStampChangesWhenTheyArriveAndReListAfterGone) {
  auto p = connect();
  ASSERT_TRUE(p) << error_;
  auto first = p->events_since(0);
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_TRUE(first.value().events.empty()) << "the first lists are the baseline";
  std::string pods = std::string(kCore) + "/pods";
  ASSERT_TRUE(fake_->wait_for_watches(pods, 1));
  std::vector<std::string> lines = fixture_lines("watch_pods.jsonl");
  Nanos before = monotonic_now();
  for (size_t i = 0; i < 3; ++i) fake_->push_watch(pods, lines[i]);  // ADDED, MODIFIED, Ready
  std::vector<PlatformEventRecord> seen;
  for (int i = 0; i < 200 && seen.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    seen = p->events_since(first.value().next).value().events;
  }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, "pod-created");
  EXPECT_EQ(seen[1].kind, "pod-ready");
  EXPECT_EQ(seen[1].pod, "cartservice-6d9f7c5b8d-qz9mn");
  EXPECT_EQ(seen[1].deployment, "cartservice");
  EXPECT_GE(seen[1].mono_ns, before);
  EXPECT_LE(seen[1].mono_ns, monotonic_now());
  EXPECT_FALSE(seen[1].server_time.empty());
  // 410 Gone: the adapter lists again and reports what changed meanwhile (x7k2p went away).
  json fresh = fixture_json("pod_list.json");
  fresh["items"].erase(0);
  fake_->on("GET", pods, FakeResponse::json(200, fresh));
  fake_->push_watch(pods, lines.back());  // ERROR 410
  bool deleted = false;
  for (int i = 0; i < 300 && !deleted; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto batch = p->events_since(first.value().next);
    ASSERT_TRUE(batch.ok());
    for (const PlatformEventRecord& e : batch.value().events) {
      deleted |= e.kind == "pod-deleted" && e.pod == "cartservice-6d9f7c5b8d-x7k2p";
    }
  }
  EXPECT_TRUE(deleted);
}

// Every request the adapter makes, for every action and reading, is allowed by the Role
// `stampede rbac` prints for a plan with all of them (so the printed Role, and the chart's,
// which rbac_match_test.mjs checks against it, can never miss a call the adapter adds).
TEST_F(KubernetesPlatformTest, EveryCallIsCoveredByTheRbacRules) {
  json pod = fixture_json("pod_list.json")["items"][0];
  pod["spec"]["containers"][0]["ports"].push_back(
      {{"name", "admin"}, {"containerPort", 9465}, {"protocol", "TCP"}});
  std::string name = pod["metadata"]["name"];
  fake_->on("GET", std::string(kCore) + "/pods/" + name, FakeResponse::json(200, pod));
  fake_->on_prefix("PUT", std::string(kCore) + "/pods/",
                   [](const auto&) { return FakeResponse::json(200, json::object()); });
  fake_->on_prefix("GET", std::string(kCore) + "/pods/" + name + ":", [](const auto&) {
    return FakeResponse{200, "{}", "application/json", {}};
  });
  fake_->on_prefix("DELETE", std::string(kCore) + "/pods/",
                   [](const auto&) { return FakeResponse::json(200, json::object()); });
  fake_->on_prefix("PATCH", std::string(kApps) + "/deployments/",
                   [](const auto&) { return FakeResponse::json(200, json::object()); });
  fake_->on("GET", std::string(kCore) + "/secrets/admin-token",
            FakeResponse::json(200, {{"kind", "Secret"},
                                     {"apiVersion", "v1"},
                                     {"metadata", {{"name", "admin-token"}}},
                                     {"data", {{"admin-token", kube::base64_encode("t")}}}}));
  auto p = connect();
  ASSERT_TRUE(p) << error_;
  fake_->clear_requests();  // discovery (/version, /apis) is open to every authenticated user
  ASSERT_TRUE(p->deployments().ok());
  ASSERT_TRUE(p->pods("app=cartservice").ok());
  ASSERT_TRUE(p->hpas().ok());
  ASSERT_TRUE(p->events_since(0).ok());
  EXPECT_TRUE(p->kill_pod(name).ok());
  EXPECT_TRUE(p->terminate_pod(name, 1).ok());
  EXPECT_TRUE(p->scale("cartservice", 2).ok());
  EXPECT_TRUE(p->rollout_restart("cartservice").ok());
  EXPECT_EQ(p->cannot(Capability::kPodFaults), "");
  EXPECT_TRUE(p->check_pod_faults(name).ok());
  EXPECT_TRUE(p->set_pod_faults(name, FaultKnobs{}).ok());
  EXPECT_TRUE(p->clear_pod_faults(name).ok());
  EXPECT_TRUE(p->pod_metrics(name).ok());

  ChaosPlan plan;
  for (ActionKind kind :
       {ActionKind::kPodKill, ActionKind::kPodTerminate, ActionKind::kScale,
        ActionKind::kRolloutRestart, ActionKind::kFault, ActionKind::kDependencyDown}) {
    ChaosAction a;
    a.kind = kind;
    plan.actions.push_back(a);
  }
  Expectation breaker;
  breaker.kind = ExpectKind::kCircuitBreaker;
  plan.expectations.push_back(breaker);
  std::vector<RbacRule> rules = rbac_rules(plan, RbacOptions{});
  auto allowed = [&](const kube::RequestInfo& r) {
    std::string resource =
        r.ref.resource + (r.ref.subresource.empty() ? "" : "/" + r.ref.subresource);
    for (const RbacRule& rule : rules) {
      if (rule.api_group != r.ref.group) continue;
      if (std::find(rule.resources.begin(), rule.resources.end(), resource) == rule.resources.end())
        continue;
      if (std::find(rule.verbs.begin(), rule.verbs.end(), r.verb) == rule.verbs.end()) continue;
      if (!rule.resource_names.empty() &&
          std::find(rule.resource_names.begin(), rule.resource_names.end(), r.ref.name) ==
              rule.resource_names.end()) {
        continue;
      }
      return true;
    }
    return false;
  };
  std::vector<std::string> verbs;
  for (const auto& request : fake_->requests()) {
    kube::RequestInfo info = kube::describe_request(request.method, request.target);
    ASSERT_TRUE(info.is_resource_request) << request.target;
    EXPECT_TRUE(allowed(info)) << info.describe() << " (" << request.method << " " << request.target
                               << ") is not in the RBAC rules";
    verbs.push_back(info.verb + " " + info.resource_name());
  }
  // The calls above touched every kind of request the adapter makes.
  for (const char* expected :
       {"list deployments.apps", "list services", "watch pods", "delete pods",
        "patch deployments.apps/scale", "patch deployments.apps", "get secrets",
        "update pods/proxy", "delete pods/proxy", "get pods/proxy", "list pods.metrics.k8s.io"}) {
    EXPECT_NE(std::find(verbs.begin(), verbs.end(), expected), verbs.end()) << expected;
  }
}

}  // namespace
}  // namespace stampede
