#include "engine/platform/local_api_json.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

using nlohmann::json;

// The shape docs/local-runtime-api.md gives for GET /v1/deployments.
const char* kDeployments = R"([{
  "name": "frontend", "replicas": 2, "current": 2, "ready": 1, "updated": 2, "available": 1,
  "paused_rollout": false, "rollout": {"in_progress": true, "revision": 3},
  "service": {"name": "frontend", "port": 41000, "endpoints": ["frontend-7d9-1"]},
  "hpa": {"deployment": "frontend", "min_replicas": 1, "max_replicas": 4,
          "target_cpu_utilization": 70, "current_utilization": 140.5, "current_replicas": 2,
          "desired_replicas": 4, "last_scale": {"mono_ns": 123, "unix_ms": 1},
          "reason": "cpu 140% of 70% target: 2 -> 4"},
  "probes": {"liveness": {"httpGet": {"path": "/_healthz", "port": "http"}, "periodSeconds": 5,
                          "timeoutSeconds": 1, "failureThreshold": 3},
             "readiness": {"grpc": {"port": 7070}, "period_seconds": 2, "failure_threshold": 2},
             "startup": null},
  "termination_grace_period_seconds": 30,
  "strategy": {"max_surge": 1, "max_unavailable": 0},
  "labels": {"app": "frontend"}
}, {"name": "redis", "replicas": 1, "service": null, "hpa": null, "probes": {}}])";

TEST(LocalApiJsonTest, DecodesDeploymentsAsTheContractShowsThem) {
  auto list = decode_deployments(json::parse(kDeployments));
  ASSERT_TRUE(list.ok()) << list.error().message();
  ASSERT_EQ(list.value().size(), 2u);
  const DeploymentState& d = list.value()[0];
  EXPECT_EQ(d.name, "frontend");
  EXPECT_EQ(d.replicas, 2);
  EXPECT_EQ(d.ready, 1);
  EXPECT_TRUE(d.rollout_in_progress);
  EXPECT_EQ(d.revision, 3);
  EXPECT_EQ(d.service, "frontend");
  EXPECT_EQ(d.service_port, 41000);
  ASSERT_TRUE(d.hpa);
  EXPECT_EQ(d.hpa->max_replicas, 4);
  EXPECT_DOUBLE_EQ(d.hpa->current_utilization, 140.5);
  EXPECT_EQ(d.hpa->last_scale_mono_ns, 123);
  ASSERT_TRUE(d.probes.liveness);
  EXPECT_EQ(d.probes.liveness->handler, "httpGet");
  EXPECT_EQ(d.probes.liveness->period_seconds, 5);
  EXPECT_EQ(d.probes.liveness->failure_threshold, 3);
  ASSERT_TRUE(d.probes.readiness);
  EXPECT_EQ(d.probes.readiness->handler, "grpc");
  EXPECT_EQ(d.probes.readiness->period_seconds, 2);   // snake_case accepted too
  EXPECT_EQ(d.probes.readiness->timeout_seconds, 1);  // Kubernetes default
  EXPECT_FALSE(d.probes.startup);
  EXPECT_EQ(d.labels.at("app"), "frontend");
  const DeploymentState& r = list.value()[1];
  EXPECT_EQ(r.service, "");
  EXPECT_FALSE(r.hpa);
  EXPECT_FALSE(r.probes.liveness);
  EXPECT_EQ(r.termination_grace_period_seconds, 30);
}

// The shape `stampede up` answers (targets/local/api/api_views.cc): snake_case probes with a
// "kind", extra fields the adapter ignores.
TEST(LocalApiJsonTest, DecodesTheRuntimesOwnShape) {
  auto list = decode_deployments(json::parse(R"([{"name": "frontend", "replicas": 1,
    "current": 1, "ready": 1, "updated": 1, "available": 1, "paused_rollout": false,
    "rollout": {"in_progress": false, "revision": 1}, "template_hash": "5d8f",
    "service": {"name": "frontend", "port": 40001, "endpoints": ["frontend-5d8f-1"]},
    "hpa": null,
    "probes": {"liveness": {"kind": "httpGet", "initial_delay_seconds": 0, "period_seconds": 5,
                            "timeout_seconds": 1, "success_threshold": 1, "failure_threshold": 3,
                            "port": "http", "path": "/_healthz"},
               "readiness": {"kind": "grpc", "initial_delay_seconds": 0, "period_seconds": 2,
                             "timeout_seconds": 1, "success_threshold": 1,
                             "failure_threshold": 2, "port": "grpc", "service": ""},
               "startup": null},
    "termination_grace_period_seconds": 30, "strategy": {"max_surge": 1, "max_unavailable": 0},
    "resources": {"cpu_request_millicores": 200, "cpu_limit_millicores": 1000},
    "labels": {"app": "frontend"}}])"));
  ASSERT_TRUE(list.ok()) << list.error().message();
  const DeploymentState& d = list.value().at(0);
  ASSERT_TRUE(d.probes.liveness && d.probes.readiness);
  EXPECT_EQ(d.probes.liveness->handler, "httpGet");
  EXPECT_EQ(d.probes.liveness->period_seconds, 5);
  EXPECT_EQ(d.probes.readiness->handler, "grpc");
  EXPECT_EQ(d.probes.readiness->failure_threshold, 2);
}

TEST(LocalApiJsonTest, DecodesPodsAndEvents) {
  auto pods = decode_pods(json::parse(R"([{"name": "cart-1", "deployment": "cart",
    "phase": "Running", "state": "running", "ready": true, "started": true, "restarts": 2,
    "pid": 99, "ports": {"grpc": 41001, "metrics": 41002}, "cpu_millicores": 12.5,
    "cpu_utilization": 12.5, "created": {"mono_ns": 5000, "unix_ms": 1}, "last_exit": null,
    "last_log_lines": [], "labels": {"app": "cart", "pod-template-hash": "abc"}}])"));
  ASSERT_TRUE(pods.ok()) << pods.error().message();
  const PodState& p = pods.value().at(0);
  EXPECT_EQ(p.restarts, 2);
  EXPECT_EQ(p.ports.at("metrics"), 41002);
  EXPECT_EQ(p.created_mono_ns, 5000);
  EXPECT_EQ(p.labels.at("pod-template-hash"), "abc");

  auto events = decode_events(json::parse(R"({"next": 8, "events": [
    {"seq": 7, "mono_ns": 42, "unix_ms": 1, "kind": "pod-restarted", "deployment": "cart",
     "pod": "cart-1", "detail": "liveness probe failed"}]})"));
  ASSERT_TRUE(events.ok()) << events.error().message();
  EXPECT_EQ(events.value().next, 8);
  ASSERT_EQ(events.value().events.size(), 1u);
  EXPECT_EQ(events.value().events[0].kind, "pod-restarted");
  EXPECT_EQ(events.value().events[0].mono_ns, 42);
}

TEST(LocalApiJsonTest, WrongTypesNameTheField) {
  auto bad = decode_pods(json::parse(R"([{"name": "x", "ready": "yes"}])"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "pods[0].ready: expected true or false");
  auto nameless = decode_deployments(json::parse(R"([{"replicas": 1}])"));
  ASSERT_FALSE(nameless.ok());
  EXPECT_EQ(nameless.error().message(), "deployments[0].name: missing");
  EXPECT_FALSE(decode_events(json::parse(R"({"events": []})")).ok());
  EXPECT_FALSE(decode_hpas(json::parse(R"({"not": "a list"})")).ok());
}

TEST(LocalApiJsonTest, EncodesFaultBodiesTheShopAccepts) {
  FaultKnobs k;
  k.latency_ms = 250;
  k.error_rate = 0.5;
  k.methods = {"Charge"};
  json j = encode_fault_knobs(k);
  EXPECT_EQ(j.dump(), R"({"error_rate":0.5,"latency_ms":250,"methods":["Charge"]})");
  EXPECT_TRUE(j["latency_ms"].is_number_integer());  // the shop rejects 250.0
  NetworkFault f;
  f.blackhole = true;
  EXPECT_EQ(encode_network_fault(f)["blackhole"], true);
  EXPECT_EQ(encode_network_fault(f)["latency_ms"], 0);
}

}  // namespace
}  // namespace stampede
