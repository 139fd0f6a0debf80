#include "targets/local/values/values_reader.h"

#include <gtest/gtest.h>

#include "targets/local/values/values_loader.h"
#include "targets/local/values/values_tree.h"

namespace stampede::local {
namespace {

const std::string kChart = std::string(STAMPEDE_SOURCE_DIR) + "/charts/shop-reference/values.yaml";

Result<Values> chart_with(const std::vector<std::string>& sets) {
  ValuesSources sources;
  sources.chart_values = kChart;
  sources.sets = sets;
  return load_values(sources);
}

std::string error_of(const std::vector<std::string>& sets) {
  auto r = chart_with(sets);
  return r.ok() ? "(no error)" : r.error().message();
}

TEST(ValuesReader, TheChartsValuesRead) {
  auto r = chart_with({});
  ASSERT_TRUE(r.ok()) << r.error().message();
  const Values& v = r.value();
  EXPECT_EQ(v.deployments.size(), 11u);  // redis is off
  EXPECT_EQ(v.deployment("redis"), nullptr);
  const DeploymentSpec* fe = v.deployment("frontend");
  ASSERT_NE(fe, nullptr);
  EXPECT_EQ(fe->image_repository, "ghcr.io/stampede-dev/shop-reference");
  EXPECT_EQ(fe->args, std::vector<std::string>{"frontend"});
  ASSERT_EQ(fe->ports.size(), 2u);
  EXPECT_EQ(fe->ports[0].env, "PORT");
  ASSERT_TRUE(fe->service.has_value());
  EXPECT_EQ(fe->service->target_port, "http");
  EXPECT_EQ(fe->cpu_request_millis, 200);
  EXPECT_EQ(fe->cpu_limit_millis, 1000);
  EXPECT_EQ(fe->memory_request_bytes, 64 * 1048576);
  ASSERT_TRUE(fe->liveness.has_value());
  EXPECT_EQ(fe->liveness->kind, ProbeKind::kHttpGet);
  EXPECT_EQ(fe->liveness->path, "/_healthz");
  EXPECT_EQ(fe->liveness->period_seconds, 5);
  EXPECT_EQ(fe->readiness->failure_threshold, 2);
  EXPECT_EQ(fe->readiness->success_threshold, 1);  // Kubernetes' default
  EXPECT_FALSE(fe->startup.has_value());
  // redis is disabled, so the cart's dependency on it is left out.
  EXPECT_TRUE(v.deployment("cart")->dependencies.empty());
  EXPECT_EQ(v.deployment("checkout")->dependencies.size(), 7u);
  const DeploymentSpec* catalog = v.deployment("productcatalog");
  EXPECT_EQ(catalog->liveness->kind, ProbeKind::kGrpc);
  EXPECT_EQ(catalog->liveness->port_name, "grpc");  // port 3550 resolved to its name
  EXPECT_EQ(v.local.hpa_sync_period_seconds, 15);
  EXPECT_EQ(v.local.executables.at("ghcr.io/stampede-dev/shop-reference"),
            "shop-reference/shop/shop");
  EXPECT_EQ(v.local.cpu_limits, CpuLimitsSetting::kAuto);
  EXPECT_TRUE(v.local.kubernetes_api_extensions);
}

TEST(ValuesReader, KubernetesApiExtensionsCanBeTurnedOff) {
  auto r = chart_with({"localRuntime.kubernetesApi.extensions=false"});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_FALSE(r.value().local.kubernetes_api_extensions);
  EXPECT_EQ(error_of({"localRuntime.kubernetesApi.extensions=sometimes"}),
            "localRuntime.kubernetesApi.extensions: expected true or false, got 'sometimes'");
}

TEST(ValuesReader, ProbeDefaultsAreKubernetes) {
  auto r = chart_with(
      {"services.cart.livenessProbe=null", "services.cart.livenessProbe.tcpSocket.port=grpc"});
  ASSERT_TRUE(r.ok()) << r.error().message();
  const ProbeSpec& p = *r.value().deployment("cart")->liveness;
  EXPECT_EQ(p.kind, ProbeKind::kTcpSocket);
  EXPECT_EQ(p.initial_delay_seconds, 0);
  EXPECT_EQ(p.period_seconds, 10);
  EXPECT_EQ(p.timeout_seconds, 1);
  EXPECT_EQ(p.success_threshold, 1);
  EXPECT_EQ(p.failure_threshold, 3);
}

TEST(ValuesReader, RedisEnabledHasExecAndTcpProbes) {
  auto r = chart_with({"services.redis.enabled=true"});
  ASSERT_TRUE(r.ok()) << r.error().message();
  const DeploymentSpec* redis = r.value().deployment("redis");
  ASSERT_NE(redis, nullptr);
  EXPECT_EQ(redis->command, std::vector<std::string>{"redis-server"});
  EXPECT_EQ(redis->readiness->kind, ProbeKind::kExec);
  EXPECT_EQ(redis->readiness->command.size(), 3u);
  EXPECT_EQ(redis->liveness->kind, ProbeKind::kTcpSocket);
  EXPECT_EQ(r.value().deployment("cart")->dependencies, std::vector<std::string>{"redis"});
  EXPECT_EQ(redis->max_surge.value, 0);
}

TEST(ValuesReader, BadValuesNameTheKeyPath) {
  EXPECT_EQ(error_of({"services.cart.replicas=-1"}),
            "services.cart.replicas: must be >= 0, got -1");
  EXPECT_EQ(error_of({"services.cart.replicas=two"}),
            "services.cart.replicas: expected an integer, got 'two'");
  EXPECT_EQ(error_of({"services.cart.livenessProbe.httpPost.path=/x"}),
            "services.cart.livenessProbe: unknown probe kind 'httpPost' (one of httpGet, grpc, "
            "tcpSocket, exec)");
  EXPECT_EQ(error_of({"services.cart.autoscaling.minReplicas=5",
                      "services.cart.autoscaling.maxReplicas=2"}),
            "services.cart.autoscaling: minReplicas 5 > maxReplicas 2");
  EXPECT_EQ(error_of({"services.cart.livenessProbe.tcpSocket.port=grpc"}),
            "services.cart.livenessProbe: more than one handler ('grpc' and 'tcpSocket'); a probe "
            "has exactly one");
  EXPECT_EQ(error_of({"services.cart.livenessProbe.grpc=null"}),
            "services.cart.livenessProbe: no handler; a probe needs one of httpGet, grpc, "
            "tcpSocket, exec");
  EXPECT_EQ(error_of({"services.cart.livenessProbe.successThreshold=2"}),
            "services.cart.livenessProbe.successThreshold: must be 1 for liveness probes, got 2");
  EXPECT_EQ(error_of({"services.cart.readinessProbe.periodSeconds=0"}),
            "services.cart.readinessProbe.periodSeconds: must be >= 1, got 0");
  EXPECT_EQ(error_of({"services.cart.readinessProbe.grpc.port=1234"}),
            "services.cart.readinessProbe.grpc.port: 1234 is not one of the container's ports (the "
            "local runtime only knows those)");
  EXPECT_EQ(error_of({"services.cart.readinessProbe.grpc.port=nope"}),
            "services.cart.readinessProbe.grpc.port: no container port named 'nope'");
  EXPECT_EQ(error_of({"services.cart.readinessProbe.timeoutSecond=1"}),
            "services.cart.readinessProbe.timeoutSecond: unknown probe field");
  EXPECT_EQ(error_of({"services.cart.strategy.maxSurge=0"}),
            "services.cart.strategy: maxSurge and maxUnavailable may not both be 0");
  EXPECT_EQ(error_of({"services.cart.strategy.maxSurge=lots"}),
            "services.cart.strategy.maxSurge: expected an integer or a percentage like 25%, got "
            "'lots'");
  EXPECT_EQ(
      error_of({"services.cart.resources.requests.cpu=fast"}),
      "services.cart.resources.requests.cpu: expected a CPU quantity like 200m, 1 or 0.5, got "
      "'fast'");
  EXPECT_EQ(error_of({"services.cart.resources.requests.cpu=2"}),
            "services.cart.resources: requests.cpu 2000m > limits.cpu 500m");
  EXPECT_EQ(error_of({"services.cart.enabled=maybe"}),
            "services.cart.enabled: expected true or false, got 'maybe'");
  EXPECT_EQ(error_of({"services.frontend.dependencies[0]=nope"}),
            "services.frontend.dependencies[0]: unknown service 'nope'");
  EXPECT_EQ(error_of({"services.cart.service.targetPort=web"}),
            "services.cart.service.targetPort: no container port 'web'");
  EXPECT_EQ(error_of({"services.cart.ports[0].containerPort=70000"}),
            "services.cart.ports[0].containerPort: must be 1..65535, got 70000");
  EXPECT_EQ(error_of({"services.cart.args.a=1"}), "services.cart.args: expected a list, got a map");
  EXPECT_EQ(error_of({"services.cart.autoscaling.behavior.scaleUp.selectPolicy=Most"}),
            "services.cart.autoscaling.behavior.scaleUp.selectPolicy: must be Max, Min or "
            "Disabled, got 'Most'");
  EXPECT_EQ(error_of({"services.cart.autoscaling.behavior.scaleDown.policies[0].type=Pods",
                      "services.cart.autoscaling.behavior.scaleDown.policies[0].value=0",
                      "services.cart.autoscaling.behavior.scaleDown.policies[0].periodSeconds=15"}),
            "services.cart.autoscaling.behavior.scaleDown.policies[0].value: must be >= 1, got 0");
  EXPECT_EQ(error_of({"localRuntime.cpuLimits=sometimes"}),
            "localRuntime.cpuLimits: must be auto, required or off, got 'sometimes'");
  EXPECT_EQ(error_of({"localRuntime.hpaSyncPeriodSeconds=0"}),
            "localRuntime.hpaSyncPeriodSeconds: must be > 0 and <= 86400 seconds, got 0");
  EXPECT_EQ(error_of({"localRuntime.servicePorts.nope=1"}),
            "localRuntime.servicePorts.nope: unknown service 'nope'");
  EXPECT_EQ(error_of({"services.cart.terminationGracePeriodSeconds=-5"}),
            "services.cart.terminationGracePeriodSeconds: must be >= 0, got -5");
  EXPECT_EQ(error_of({"services.cart.minReadySeconds=-1"}),
            "services.cart.minReadySeconds: must be >= 0, got -1");
  EXPECT_EQ(error_of({"services=3"}), "services: expected a map, got '3'");
}

TEST(ValuesReader, BehaviorAndStrategyRead) {
  auto r = chart_with({"services.cart.autoscaling.enabled=true",
                       "services.cart.autoscaling.behavior.scaleDown.stabilizationWindowSeconds=5",
                       "services.cart.autoscaling.behavior.scaleUp.policies[0].type=Pods",
                       "services.cart.autoscaling.behavior.scaleUp.policies[0].value=2",
                       "services.cart.autoscaling.behavior.scaleUp.policies[0].periodSeconds=10",
                       "services.cart.strategy.maxSurge=50%"});
  ASSERT_TRUE(r.ok()) << r.error().message();
  const DeploymentSpec* cart = r.value().deployment("cart");
  EXPECT_TRUE(cart->autoscaling.enabled);
  EXPECT_EQ(cart->autoscaling.scale_down.stabilization_window_seconds, 5);
  EXPECT_FALSE(cart->autoscaling.scale_down.policies.has_value());
  ASSERT_TRUE(cart->autoscaling.scale_up.policies.has_value());
  EXPECT_TRUE((*cart->autoscaling.scale_up.policies)[0].pods);
  EXPECT_TRUE(cart->max_surge.percent);
  EXPECT_EQ(cart->max_surge.value, 50);
}

TEST(ValuesReader, OverlayFilesMergeBeforeSets) {
  ValuesSources sources;
  sources.chart_values = kChart;
  std::string overlay = testing::TempDir() + "/overlay.yaml";
  FILE* f = std::fopen(overlay.c_str(), "w");
  std::fputs("services:\n  cart:\n    replicas: 3\n  ad:\n    enabled: false\n", f);
  std::fclose(f);
  sources.overlay_files = {overlay};
  sources.sets = {"services.cart.replicas=4"};
  auto r = load_values(sources);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r.value().deployment("cart")->replicas, 4);
  EXPECT_EQ(r.value().deployment("ad"), nullptr);
  // The frontend's dependency on the disabled ad service is dropped, as the templates do.
  for (const auto& d : r.value().deployment("frontend")->dependencies) EXPECT_NE(d, "ad");
}

TEST(ValuesReader, ScalarWhereAMapBelongsIsAnError) {
  auto r = read_values(YAML::Load("services: {cart: {ports: [3], enabled: true}}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "services.cart.ports[0]: expected a map, got '3'");
}

}  // namespace
}  // namespace stampede::local
