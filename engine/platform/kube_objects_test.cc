// Kubernetes objects -> Platform data. The objects are in the API's shapes (as kube-apiserver
// and `stampede up` serve them; fields as in kubernetes-types 1.30).
#include "engine/platform/kube_objects.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

using nlohmann::json;

json pod_json() {
  return json::parse(R"({
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "shop-cart-7d4b9c6f5-x2k8q", "namespace": "default",
      "uid": "0f6b6b2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "resourceVersion": "4711",
      "creationTimestamp": "2026-12-07T14:03:07Z",
      "labels": {"app.kubernetes.io/component": "cart", "pod-template-hash": "7d4b9c6f5"},
      "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
        "name": "shop-cart-7d4b9c6f5", "uid": "1a2b", "controller": true,
        "blockOwnerDeletion": true}]},
    "spec": {"containers": [{"name": "cart", "image": "shop:1",
      "ports": [{"name": "grpc", "containerPort": 7070, "protocol": "TCP"},
                {"name": "metrics", "containerPort": 9464, "protocol": "TCP"}],
      "resources": {"requests": {"cpu": "100m"}}}]},
    "status": {"phase": "Running",
      "conditions": [{"type": "Ready", "status": "True",
                      "lastTransitionTime": "2026-12-07T14:03:09Z"}],
      "containerStatuses": [{"name": "cart", "ready": true, "restartCount": 2, "image": "shop:1",
        "imageID": "", "started": true,
        "state": {"running": {"startedAt": "2026-12-07T14:03:08Z"}},
        "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled",
                                     "finishedAt": "2026-12-07T14:03:08Z"}}}]}})");
}

TEST(KubeObjects, ReadsAPod) {
  KubeNames names{"shop-"};
  KubeClock clock;  // offset 0: monotonic = realtime
  auto p = read_pod(pod_json(), names, clock);
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p.value().name, "shop-cart-7d4b9c6f5-x2k8q");
  EXPECT_EQ(p.value().deployment, "cart");
  EXPECT_EQ(p.value().phase, "Running");
  EXPECT_EQ(p.value().state, "running");
  EXPECT_TRUE(p.value().ready);
  EXPECT_EQ(p.value().restarts, 2);
  EXPECT_EQ(p.value().last_exit_reason, "OOMKilled");
  EXPECT_EQ(p.value().ports.at("metrics"), 9464);
  EXPECT_EQ(p.value().created_mono_ns, int64_t{1796652187} * kNanosPerSecond);
  EXPECT_EQ(pod_cpu_request_millicores(pod_json()), 100);
}

TEST(KubeObjects, PodStates) {
  KubeNames names;
  KubeClock clock;
  json crash = pod_json();
  crash["status"]["containerStatuses"][0]["state"] =
      json::parse(R"({"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 10s"}})");
  crash["status"]["conditions"][0]["status"] = "False";
  auto c = read_pod(crash, names, clock).value();
  EXPECT_EQ(c.state, "crash-loop-backoff");
  EXPECT_EQ(c.waiting_reason, "CrashLoopBackOff");
  EXPECT_FALSE(c.ready);
  EXPECT_EQ(c.deployment, "shop-cart");  // no prefix: the full name
  json deleting = pod_json();
  deleting["metadata"]["deletionTimestamp"] = "2026-12-07T14:05:00Z";
  EXPECT_EQ(read_pod(deleting, names, clock).value().phase, "Terminating");
  EXPECT_EQ(read_pod(deleting, names, clock).value().state, "terminating");
  json paused = pod_json();
  paused["status"]["conditions"].push_back(
      {{"type", "local.stampede.dev/Paused"}, {"status", "True"}});
  EXPECT_EQ(read_pod(paused, names, clock).value().state, "paused");
  json orphan = pod_json();
  orphan["metadata"].erase("ownerReferences");
  EXPECT_EQ(read_pod(orphan, names, clock).value().deployment, "");
  EXPECT_FALSE(read_pod(json::object(), names, clock).ok());
}

json deployment_json() {
  return json::parse(R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "shop-frontend", "namespace": "default", "generation": 3,
      "labels": {"app.kubernetes.io/component": "frontend"},
      "annotations": {"deployment.kubernetes.io/revision": "2"}},
    "spec": {"replicas": 2,
      "selector": {"matchLabels": {"app.kubernetes.io/component": "frontend"}},
      "template": {"metadata": {"labels": {"app.kubernetes.io/component": "frontend",
                                           "app.kubernetes.io/instance": "shop"}},
        "spec": {"terminationGracePeriodSeconds": 5, "containers": [{"name": "frontend",
          "image": "shop:1",
          "readinessProbe": {"httpGet": {"path": "/_healthz", "port": "http"}, "periodSeconds": 2},
          "livenessProbe": {"grpc": {"port": 9555}, "failureThreshold": 5}}]}}},
    "status": {"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2,
      "readyReplicas": 2, "availableReplicas": 2}})");
}

TEST(KubeObjects, ReadsADeploymentWithItsServiceAndHpa) {
  KubeNames names{"shop-"};
  KubeClock clock;
  std::vector<json> services = {json::parse(R"({"apiVersion":"v1","kind":"Service",
    "metadata":{"name":"shop-cart"},"spec":{"selector":{"app.kubernetes.io/component":"cart"},
    "ports":[{"port":7070}]}})"),
                                json::parse(R"({"apiVersion":"v1","kind":"Service",
    "metadata":{"name":"shop-frontend"},"spec":{"selector":{"app.kubernetes.io/component":"frontend"},
    "ports":[{"name":"http","port":80,"targetPort":"http"}]}})")};
  std::vector<json> hpas = {json::parse(R"({"apiVersion":"autoscaling/v2",
    "kind":"HorizontalPodAutoscaler","metadata":{"name":"shop-frontend"},
    "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"shop-frontend"},
      "minReplicas":2,"maxReplicas":6,
      "metrics":[{"type":"Resource","resource":{"name":"cpu",
                  "target":{"type":"Utilization","averageUtilization":50}}}],
      "behavior":{"scaleDown":{"stabilizationWindowSeconds":30}}},
    "status":{"currentReplicas":2,"desiredReplicas":3,"lastScaleTime":"2026-12-07T14:03:07Z",
      "currentMetrics":[{"type":"Resource","resource":{"name":"cpu",
                         "current":{"averageUtilization":75,"averageValue":"75m"}}}],
      "conditions":[{"type":"AbleToScale","status":"True","reason":"SucceededRescale",
                     "message":"the HPA controller was able to update the target scale to 3"},
                    {"type":"ScalingLimited","status":"False","reason":"DesiredWithinRange"}]}})")};
  auto d = read_deployment(deployment_json(), services, hpas, names, clock);
  ASSERT_TRUE(d.ok()) << d.error().message();
  const DeploymentState& s = d.value();
  EXPECT_EQ(s.name, "frontend");
  EXPECT_EQ(s.replicas, 2);
  EXPECT_FALSE(s.rollout_in_progress);
  EXPECT_EQ(s.revision, 2);
  EXPECT_EQ(s.selector, "app.kubernetes.io/component=frontend");
  EXPECT_EQ(s.service, "frontend");
  EXPECT_EQ(s.service_port, 80);
  EXPECT_EQ(s.termination_grace_period_seconds, 5);
  ASSERT_TRUE(s.probes.readiness && s.probes.liveness);
  EXPECT_FALSE(s.probes.startup);
  EXPECT_EQ(s.probes.readiness->handler, "httpGet");
  EXPECT_EQ(s.probes.readiness->period_seconds, 2);
  EXPECT_EQ(s.probes.readiness->timeout_seconds, 1);  // Kubernetes' default
  EXPECT_EQ(s.probes.liveness->failure_threshold, 5);
  EXPECT_EQ(s.probes.liveness->period_seconds, 10);
  ASSERT_TRUE(s.hpa.has_value());
  EXPECT_EQ(s.hpa->deployment, "frontend");
  EXPECT_EQ(s.hpa->target_cpu_utilization, 50);
  EXPECT_EQ(s.hpa->current_utilization, 75);
  EXPECT_EQ(s.hpa->desired_replicas, 3);
  EXPECT_EQ(s.hpa->scale_down_stabilization_seconds, 30);
  EXPECT_EQ(s.hpa->conditions,
            (std::vector<std::string>{"AbleToScale=True (SucceededRescale)",
                                      "ScalingLimited=False (DesiredWithinRange)"}));
  EXPECT_GT(s.hpa->last_scale_mono_ns, 0);

  json rolling = deployment_json();
  rolling["metadata"]["generation"] = 4;  // not observed yet
  EXPECT_TRUE(read_deployment(rolling, {}, {}, names, clock).value().rollout_in_progress);
  json surging = deployment_json();
  surging["status"]["replicas"] = 3;  // an old pod still running
  EXPECT_TRUE(read_deployment(surging, {}, {}, names, clock).value().rollout_in_progress);
}

TEST(KubeObjects, CpuQuantitiesAndPodMetrics) {
  EXPECT_EQ(parse_cpu_millicores("250m").value(), 250);
  EXPECT_EQ(parse_cpu_millicores("0.5").value(), 500);
  EXPECT_EQ(parse_cpu_millicores("2").value(), 2000);
  EXPECT_DOUBLE_EQ(parse_cpu_millicores("12345678n").value(), 12.345678);
  EXPECT_DOUBLE_EQ(parse_cpu_millicores("1500u").value(), 1.5);
  EXPECT_FALSE(parse_cpu_millicores("lots").ok());
  EXPECT_FALSE(parse_cpu_millicores("5Gi").ok());
  auto m = read_pod_metrics_millicores(json::parse(R"({"kind":"PodMetrics",
    "apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"p"},"timestamp":"2026-12-07T14:03:07Z",
    "window":"15s","containers":[{"name":"a","usage":{"cpu":"12m","memory":"30Mi"}},
                                 {"name":"b","usage":{"cpu":"3000000n","memory":"1Mi"}}]})"));
  ASSERT_TRUE(m.ok());
  EXPECT_DOUBLE_EQ(m.value(), 15);
}

TEST(KubeObjects, NamesAndClock) {
  KubeNames names{"shop-"};
  EXPECT_EQ(names.shorten("shop-cart"), "cart");
  EXPECT_EQ(names.shorten("redis"), "redis");
  EXPECT_EQ(names.shorten("shop-"), "shop-");
  EXPECT_EQ(names.expand("cart"), "shop-cart");
  EXPECT_EQ(names.expand("shop-cart"), "shop-cart");
  KubeClock clock{1000 * kNanosPerSecond};
  EXPECT_EQ(clock.mono("1970-01-01T00:20:00Z"), 200 * kNanosPerSecond);
  EXPECT_EQ(clock.mono(""), 0);
  EXPECT_EQ(clock.mono("garbage"), 0);
}

}  // namespace
}  // namespace stampede
