// The issue's runtime tests for broken replicas, against real `shop` processes run by
// `stampede up`: a killed replica is restarted while the Service keeps serving from the others;
// a hung one (SIGSTOP) is restarted within the bound its liveness probe predicts; one whose
// readiness fails leaves the Service within failureThreshold x period and comes back.
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/runtime/grpc_load.h"
#include "tests/runtime/local_shop.h"

namespace runtime_test {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

json pod_named(LocalShop& shop, const std::string& name) {
  return shop.get("/v1/pods/" + name);
}

std::vector<std::string> endpoints(LocalShop& shop, const std::string& deployment) {
  std::vector<std::string> out;
  json d = shop.deployment(deployment);
  if (d.is_object()) {
    for (const auto& e : d["service"]["endpoints"]) out.push_back(e);
  }
  return out;
}

bool in_endpoints(LocalShop& shop, const std::string& deployment, const std::string& pod) {
  auto e = endpoints(shop, deployment);
  return std::find(e.begin(), e.end(), pod) != e.end();
}

TEST(ReplicaFailures, AKilledReplicaIsRestartedAndTheServiceKeepsServing) {
  UpOptions options;
  options.enabled = {"productcatalog"};
  options.sets = {"services.productcatalog.replicas=2",
                  "services.productcatalog.readinessProbe.periodSeconds=1"};
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  uint16_t port = shop->service_port("productcatalog");
  json victim = shop->pods("productcatalog")[0];
  std::string name = victim["name"];

  GrpcLoad load(port, 50, std::chrono::seconds(8));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  int64_t killed_at = mono_now_ns();
  ASSERT_EQ(::kill(victim["pid"].get<int>(), SIGKILL), 0);

  ASSERT_TRUE(eventually(
      [&] {
        json p = pod_named(*shop, name);
        return p.is_object() && p["restarts"] == 1 && p["ready"] == true;
      },
      std::chrono::seconds(30)))
      << pod_named(*shop, name).dump();
  int64_t back_at = mono_now_ns();
  load.wait();
  json exited = shop->find_event("pod-exited", name);
  ASSERT_TRUE(exited.is_object());
  EXPECT_LT(exited["mono_ns"].get<int64_t>() - killed_at, kSecond);  // noticed at once
  EXPECT_EQ(pod_named(*shop, name)["last_exit"]["signal"], SIGKILL);

  // Requests kept being served by the other replica: only a call caught on the killed
  // connection, or routed in the instant before the exit was seen, may fail.
  auto outcomes = load.outcomes();
  int failed = 0, after = 0, served_meanwhile = 0;
  for (const auto& o : outcomes) {
    if (o.ok && o.mono_ns > killed_at && o.mono_ns < back_at) ++served_meanwhile;
    if (o.ok) continue;
    ++failed;
    if (o.mono_ns > killed_at + kSecond) ++after;
    std::printf("a call failed %.1f ms after the kill: %s\n", (o.mono_ns - killed_at) / 1e6,
                o.error.c_str());
  }
  EXPECT_GT(outcomes.size(), 100u);
  EXPECT_GT(served_meanwhile, 0) << "no call was served while the killed replica was down";
  EXPECT_LE(failed, 2);
  EXPECT_EQ(after, 0);
}

TEST(ReplicaFailures, AHungReplicaIsRestartedWithinTheLivenessBound) {
  // Liveness: period 1 s, timeout 1 s, failureThreshold 3 -> detected between
  // (3-1)x1 + 1 = 3 s and (3-1)x1 + 1 + 1 = 4 s after the hang; then SIGTERM, 1 s of grace
  // (a stopped process cannot act on it), SIGKILL, and the first restart is immediate.
  const int period = 1, timeout = 1, failures = 3, grace = 1;
  UpOptions options;
  options.enabled = {"productcatalog"};
  options.sets = {
      "services.productcatalog.livenessProbe.periodSeconds=" + std::to_string(period),
      "services.productcatalog.livenessProbe.timeoutSeconds=" + std::to_string(timeout),
      "services.productcatalog.livenessProbe.failureThreshold=" + std::to_string(failures),
      "services.productcatalog.terminationGracePeriodSeconds=" + std::to_string(grace)};
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  json pod = shop->pods("productcatalog")[0];
  std::string name = pod["name"];
  uint64_t since = shop->get("/v1/events")["next"];

  int64_t hung_at = mono_now_ns();
  ASSERT_EQ(::kill(pod["pid"].get<int>(), SIGSTOP), 0);
  json restarted;
  ASSERT_TRUE(eventually(
      [&] {
        restarted = shop->find_event("pod-restarted", name, since);
        return restarted.is_object();
      },
      std::chrono::seconds(30)));
  json failed = shop->find_event("probe-failed", name, since);
  ASSERT_TRUE(failed.is_object());
  EXPECT_NE(failed["detail"].get<std::string>().find("liveness probe failed 3 times"),
            std::string::npos)
      << failed.dump();
  double detected = (failed["mono_ns"].get<int64_t>() - hung_at) / 1e9;
  double restarted_after = (restarted["mono_ns"].get<int64_t>() - hung_at) / 1e9;
  const double lower = (failures - 1) * period + timeout;
  const double bound = (failures - 1) * period + timeout + period;
  // Slack for scheduling on a busy machine; the bound itself is the probe spec's.
  EXPECT_GE(detected, lower - 0.2);
  EXPECT_LE(detected, bound + 0.75) << "detected " << detected << " s after the hang";
  EXPECT_LE(restarted_after, bound + grace + 1.0) << "restarted " << restarted_after << " s after";
  ASSERT_TRUE(eventually([&] { return pod_named(*shop, name)["ready"] == true; },
                         std::chrono::seconds(30)));
  json now = pod_named(*shop, name);
  EXPECT_EQ(now["restarts"], 1);
  EXPECT_EQ(now["last_exit"]["reason"], "Liveness");
  EXPECT_EQ(now["last_exit"]["signal"], SIGKILL);
}

TEST(ReplicaFailures, AReplicaWhoseReadinessFailsLeavesTheServiceAndComesBack) {
  // Readiness: grpc health, period 1 s, failureThreshold 2 -> out within 2 x 1 s; liveness on
  // the TCP port, so the unhealthy knob (health NOT_SERVING) does not restart it.
  const int period = 1, failures = 2;
  UpOptions options;
  options.enabled = {"productcatalog"};
  options.sets = {
      "services.productcatalog.replicas=2",
      "services.productcatalog.readinessProbe.periodSeconds=" + std::to_string(period),
      "services.productcatalog.readinessProbe.failureThreshold=" + std::to_string(failures),
      "services.productcatalog.livenessProbe=null",
      "services.productcatalog.livenessProbe.tcpSocket.port=grpc"};
  auto shop = LocalShop::up(options);
  ASSERT_TRUE(shop->ready()) << shop->up_output();
  json pods = shop->pods("productcatalog");
  ASSERT_EQ(pods.size(), 2u);
  std::string sick = pods[0]["name"], well = pods[1]["name"];
  ASSERT_TRUE(in_endpoints(*shop, "productcatalog", sick));

  auto set = shop->call("PUT", "/v1/pods/" + sick + "/faults", R"({"unhealthy": true})");
  ASSERT_EQ(set.status, 200) << set.body.dump();
  uint64_t seq = set.body["event_seq"];
  int64_t faulted_at = shop->events(seq)[0]["mono_ns"];
  ASSERT_TRUE(eventually([&] { return !in_endpoints(*shop, "productcatalog", sick); },
                         std::chrono::seconds(20)));
  json unready = shop->find_event("pod-unready", sick, seq);
  ASSERT_TRUE(unready.is_object());
  double out_after = (unready["mono_ns"].get<int64_t>() - faulted_at) / 1e9;
  EXPECT_LE(out_after, failures * period + 0.75) << "left the Service " << out_after << " s after";
  EXPECT_EQ(endpoints(*shop, "productcatalog"), std::vector<std::string>{well});
  // The Service answers from the other replica meanwhile.
  uint16_t port = shop->service_port("productcatalog");
  for (int i = 0; i < 20; ++i) EXPECT_EQ(get_product_once(port, std::chrono::seconds(2)), "");

  auto cleared = shop->call("DELETE", "/v1/pods/" + sick + "/faults");
  ASSERT_EQ(cleared.status, 200);
  uint64_t back_seq = cleared.body["event_seq"];
  int64_t cleared_at = shop->events(back_seq)[0]["mono_ns"];
  ASSERT_TRUE(eventually([&] { return in_endpoints(*shop, "productcatalog", sick); },
                         std::chrono::seconds(20)));
  json ready = shop->find_event("pod-ready", sick, back_seq);
  ASSERT_TRUE(ready.is_object());
  EXPECT_LE((ready["mono_ns"].get<int64_t>() - cleared_at) / 1e9, period + 0.75);
  EXPECT_EQ(pod_named(*shop, sick)["restarts"], 0);
}

}  // namespace
}  // namespace runtime_test
