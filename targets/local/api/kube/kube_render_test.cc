// The object renderers' pure parts: a pod's shape before its first start, events in
// Kubernetes' vocabulary, the render context, quantities, discovery and the TLS identity.
#include <gtest/gtest.h>

#include "targets/local/api/kube/kube_discovery.h"
#include "targets/local/api/kube/render_container.h"
#include "targets/local/api/kube/render_events.h"
#include "targets/local/api/kube/render_misc.h"
#include "targets/local/api/kube/render_pod.h"
#include "targets/local/api/kube/tls_identity.h"
#include "targets/local/runtime/clock.h"

namespace stampede::local::kube {
namespace {

using nlohmann::json;

DeploymentSpec frontend() {
  DeploymentSpec d;
  d.name = "frontend";
  d.image_repository = "ghcr.io/stampede-dev/shop-reference";
  d.args = {"frontend", "$(PORT)"};
  d.ports = {{"http", 8080, "PORT"}, {"grpc", 9000, ""}};
  d.cpu_request_millis = 200;
  d.cpu_limit_millis = 1000;
  d.memory_request_bytes = 64 << 20;
  d.termination_grace_period_seconds = 7;
  ProbeSpec http;
  http.kind = ProbeKind::kHttpGet;
  http.port_name = "http";
  http.path = "/_healthz";
  d.liveness = http;
  ProbeSpec grpc;
  grpc.kind = ProbeKind::kGrpc;
  grpc.port_name = "grpc";
  d.readiness = grpc;
  return d;
}

TEST(RenderPod, APodBeforeItsFirstStart) {
  EventLog log;
  PodContext context;
  context.events = &log;
  context.log_dir = "/tmp";
  PodWiring wiring;
  wiring.pod_name = "frontend-abc12345-xyz12";
  wiring.ports = {{"http", 41000}, {"grpc", 41001}};
  EnvList common;
  wiring.common_env = &common;
  wiring.admin_token = "secret";
  Pod pod(context, std::make_shared<const DeploymentSpec>(frontend()), "abc12345", wiring);
  RenderContext ctx = RenderContext::make("salt", mono_now_ns());
  json p = render_pod(ctx, LocalRuntimeSpec{}, pod);
  EXPECT_EQ(p["kind"], "Pod");
  EXPECT_EQ(p["metadata"]["labels"]["pod-template-hash"], "abc12345");
  EXPECT_EQ(p["metadata"]["ownerReferences"][0]["name"], "frontend-abc12345");
  EXPECT_EQ(p["metadata"]["ownerReferences"][0]["uid"], ctx.uid("ReplicaSet", "frontend-abc12345"));
  EXPECT_EQ(p["status"]["phase"], "Pending");
  EXPECT_EQ(p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"], "ContainerCreating");
  EXPECT_EQ(p["status"]["qosClass"], "Burstable");
  const json& c = p["spec"]["containers"][0];
  EXPECT_EQ(c["args"], json::array({"frontend", "$(PORT)"}));  // unexpanded, as in a spec
  EXPECT_EQ(c["ports"][0]["hostPort"], 41000);
  EXPECT_EQ(c["ports"][1]["containerPort"], 9000);
  EXPECT_EQ(c["livenessProbe"]["httpGet"]["port"], "http");
  EXPECT_EQ(c["readinessProbe"]["grpc"]["port"], 9000);  // a number, as Kubernetes requires
  EXPECT_EQ(c["resources"]["requests"]["memory"], "64Mi");
  EXPECT_EQ(c["resources"]["limits"]["cpu"], "1");
  bool secret_ref = false;
  for (const json& e : c["env"]) {
    if (e["name"] == "ADMIN_TOKEN")
      secret_ref = e["valueFrom"]["secretKeyRef"]["name"] == "admin-token";
    EXPECT_NE(e.value("value", ""), "secret");  // the token itself is never in the object
  }
  EXPECT_TRUE(secret_ref);
  EXPECT_EQ(p["spec"]["terminationGracePeriodSeconds"], 7);
  std::map<std::string, std::string> conditions;
  for (const json& cond : p["status"]["conditions"]) conditions[cond["type"]] = cond["status"];
  EXPECT_EQ(conditions["Ready"], "False");
  EXPECT_EQ(conditions["PodScheduled"], "True");
  // Rendered twice, the same: timestamps do not wander.
  EXPECT_EQ(render_pod(ctx, LocalRuntimeSpec{}, pod), p);
}

TEST(RenderPod, ExitsInKubernetesTerms) {
  RenderContext ctx = RenderContext::make("salt", 0);
  LastExit killed;
  killed.status = {-1, 9};
  killed.reason = "Liveness";
  killed.pid = 42;
  json t = terminated_state(ctx, killed);
  EXPECT_EQ(t["exitCode"], 137);
  EXPECT_EQ(t["reason"], "Error");
  EXPECT_EQ(t["signal"], 9);
  EXPECT_EQ(t["containerID"], "local://42");
  LastExit clean;
  clean.status = {0, 0};
  EXPECT_EQ(terminated_state(ctx, clean)["reason"], "Completed");
  EXPECT_EQ(qos_class(DeploymentSpec{}), "BestEffort");
  DeploymentSpec guaranteed;
  guaranteed.cpu_limit_millis = 500;
  guaranteed.memory_limit_bytes = 1 << 20;
  EXPECT_EQ(qos_class(guaranteed), "Guaranteed");
}

Event event(const std::string& kind, const std::string& pod, const std::string& detail) {
  Event e;
  e.kind = kind;
  e.deployment = "frontend";
  e.pod = pod;
  e.detail = detail;
  return e;
}

TEST(RenderEvents, TheRuntimesEventsInKubernetesVocabulary) {
  EventFacts facts;
  facts.template_hash = "abc";
  facts.pod_uid = "uid-1";
  facts.hpa_min = 1;
  facts.hpa_max = 4;
  auto created = translate_event(event("pod-created", "frontend-abc-x1", "template abc"), facts);
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0].kind, "ReplicaSet");
  EXPECT_EQ(created[0].name, "frontend-abc");
  EXPECT_EQ(created[0].reason, "SuccessfulCreate");
  EXPECT_EQ(created[0].message, "Created pod: frontend-abc-x1");
  EXPECT_EQ(created[1].reason, "Scheduled");
  auto started = translate_event(event("pod-started", "frontend-abc-x1", "pid 1"), facts);
  ASSERT_EQ(started.size(), 2u);
  EXPECT_EQ(started[1].message, "Started container frontend");
  EXPECT_EQ(started[1].field_path, "spec.containers{frontend}");
  EXPECT_TRUE(started[1].from_node);
  auto liveness = translate_event(
      event("probe-failed", "frontend-abc-x1",
            "liveness probe failed 3 times: HTTP probe failed with statuscode: 500"),
      facts);
  ASSERT_EQ(liveness.size(), 2u);
  EXPECT_EQ(liveness[0].type, "Warning");
  EXPECT_EQ(liveness[0].reason, "Unhealthy");
  EXPECT_EQ(liveness[0].message, "Liveness probe failed: HTTP probe failed with statuscode: 500");
  EXPECT_EQ(liveness[1].reason, "Killing");
  EXPECT_EQ(liveness[1].message, "Container frontend failed liveness probe, will be restarted");
  auto readiness = translate_event(
      event("probe-failed", "frontend-abc-x1", "readiness probe failed 2 times: x"), facts);
  EXPECT_EQ(readiness.size(), 1u);
  auto backoff =
      translate_event(event("crash-loop-backoff", "frontend-abc-x1", "back-off 10s"), facts);
  EXPECT_EQ(backoff[0].message,
            "Back-off restarting failed container frontend in pod frontend-abc-x1_default(uid-1)");
  auto deleted =
      translate_event(event("pod-terminated", "frontend-abc-x1", "scaled down, grace 30s"), facts);
  ASSERT_EQ(deleted.size(), 2u);
  EXPECT_EQ(deleted[0].reason, "SuccessfulDelete");
  EXPECT_EQ(deleted[0].name, "frontend-abc");
  EXPECT_EQ(deleted[1].message, "Stopping container frontend");
  EXPECT_EQ(translate_event(event("pod-terminated", "frontend-abc-x1",
                                  "deleted through the Kubernetes API, grace 0s"),
                            facts)
                .size(),
            1u);
  auto scaled = translate_event(event("scaled", "", "1 -> 3: through the API"), facts);
  ASSERT_EQ(scaled.size(), 1u);
  EXPECT_EQ(scaled[0].message, "Scaled up replica set frontend-abc to 3 from 1");
  auto hpa = translate_event(event("hpa-scaled", "", "4 -> 2: cpu 10% of 70% target"), facts);
  ASSERT_EQ(hpa.size(), 2u);
  EXPECT_EQ(hpa[0].kind, "HorizontalPodAutoscaler");
  EXPECT_EQ(hpa[0].message, "New size: 2; reason: All metrics below target");
  EXPECT_EQ(hpa[1].message, "Scaled down replica set frontend-abc to 2 from 4");
  auto paused = translate_event(event("pod-paused", "frontend-abc-x1", "SIGSTOP"), facts);
  EXPECT_EQ(paused[0].reason, "Paused");
  EXPECT_EQ(paused[0].component, "stampede-local");
  auto fault = translate_event(event("fault-set", "", "service {\"latency_ms\":5}"), facts);
  EXPECT_EQ(fault[0].kind, "Service");
  EXPECT_EQ(fault[0].reason, "FaultSet");
  for (const char* quiet : {"pod-ready", "pod-unready", "pod-exited", "pod-restarted",
                            "rollout-started", "rollout-finished", "shutdown"}) {
    EXPECT_TRUE(translate_event(event(quiet, "frontend-abc-x1", ""), facts).empty()) << quiet;
  }
}

TEST(RenderEvents, RepeatsAreCountedAndTheNewestKept) {
  ObjectStore store;
  RenderContext ctx = RenderContext::make("s", 0);
  EventTranslator translator(3);
  EventFacts facts;
  Event e = event("crash-loop-backoff", "frontend-abc-x1", "");
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    e.seq = seq;
    e.mono_ns = static_cast<int64_t>(seq) * 1'000'000'000;
    translator.translate(ctx, e, facts, store);
  }
  Listing events = store.list("events");
  ASSERT_EQ(events.items.size(), 1u);  // one Event, seen three times
  const json& folded = *events.items[0];
  EXPECT_EQ(folded["count"], 3);
  EXPECT_EQ(folded["reason"], "BackOff");
  EXPECT_EQ(folded["involvedObject"]["name"], "frontend-abc-x1");
  EXPECT_NE(folded["firstTimestamp"], folded["lastTimestamp"]);
  EXPECT_EQ(folded["series"]["count"], 3);
  EXPECT_TRUE(folded["series"]["lastObservedTime"].is_string());
  // Beyond the capacity the oldest go (DELETED for watchers).
  for (uint64_t seq = 4; seq <= 8; ++seq) {
    Event other = event("pod-started", "frontend-abc-p" + std::to_string(seq), "pid 1");
    other.seq = seq;
    translator.translate(ctx, other, facts, store);
  }
  EXPECT_EQ(store.list("events").items.size(), 3u);
  EXPECT_EQ(store.get("events", folded["metadata"]["name"]), nullptr);
}

TEST(RenderContext, UidsAreStablePerRun) {
  RenderContext ctx = RenderContext::make("s", mono_now_ns());
  EXPECT_EQ(ctx.uid("Pod", "a"), ctx.uid("Pod", "a"));
  EXPECT_NE(ctx.uid("Pod", "a"), ctx.uid("Pod", "b"));
  EXPECT_NE(ctx.uid("Pod", "a"), ctx.uid("Service", "a"));
  EXPECT_NE(RenderContext::make("other", 0).uid("Pod", "a"), ctx.uid("Pod", "a"));
  EXPECT_EQ(ctx.uid("Pod", "a").size(), 36u);
  EXPECT_EQ(ctx.uid("Pod", "a")[14], '4');
  EXPECT_EQ(ctx.time(ctx.started_ns).back(), 'Z');
}

TEST(RenderMisc, QuantitiesNamesAndEncodings) {
  EXPECT_EQ(cpu_quantity(250), "250m");
  EXPECT_EQ(cpu_quantity(2000), "2");
  EXPECT_EQ(memory_quantity(64 << 20), "64Mi");
  EXPECT_EQ(memory_quantity(int64_t{1} << 30), "1Gi");
  EXPECT_EQ(memory_quantity(3072), "3Ki");
  EXPECT_EQ(memory_quantity(1536), "1536");
  EXPECT_EQ(memory_quantity(1000), "1000");
  EXPECT_EQ(hash_of_pod("frontend", "frontend-5d8f9-x2b4q"), "5d8f9");
  EXPECT_EQ(hash_of_pod("front", "frontend-5d8f9-x2b4q"), "");
  RenderContext ctx = RenderContext::make("s", 0);
  ctx.admin_token = "tok";
  EXPECT_EQ(render_admin_secret(ctx)["data"]["admin-token"], "dG9r");  // base64 of "tok"
  EXPECT_EQ(render_namespace(ctx)["status"]["phase"], "Active");
}

TEST(Discovery, DocumentsFromTheCatalog) {
  json groups = api_group_list(false);
  for (const json& g : groups["groups"]) EXPECT_NE(g["name"], "local.stampede.dev");
  json core = api_resource_list("", "v1", true);
  EXPECT_EQ(core["groupVersion"], "v1");
  std::map<std::string, json> by_name;
  for (const json& r : core["resources"]) by_name[r["name"]] = r;
  EXPECT_EQ(by_name["pods"]["shortNames"], json::array({"po"}));
  EXPECT_EQ(by_name["pods"]["categories"], json::array({"all"}));
  EXPECT_EQ(by_name["namespaces"]["namespaced"], false);
  EXPECT_EQ(by_name["pods/log"]["verbs"], json::array({"get"}));
  EXPECT_TRUE(api_group("batch", true).is_null());
  EXPECT_EQ(version_info()["major"], "1");
}

TEST(TlsIdentity, ACaAndAServerCertificate) {
  auto id = make_tls_identity();
  ASSERT_TRUE(id.ok()) << id.error().message();
  EXPECT_EQ(id.value().ca_pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  // The chain served: the server's certificate, then the CA.
  EXPECT_NE(id.value().certificate_pem.find(id.value().ca_pem), std::string::npos);
  EXPECT_NE(id.value().key_pem.find("PRIVATE KEY"), std::string::npos);
  EXPECT_NE(make_tls_identity().value().ca_pem, id.value().ca_pem);  // fresh per run
}

}  // namespace
}  // namespace stampede::local::kube
