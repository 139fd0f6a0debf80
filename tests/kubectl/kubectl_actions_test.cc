// The real kubectl acting on the local runtime: delete (graceful and forced: the deployment
// replaces the pod), scale, rollout restart with rollout status, logs, a watch that sees a
// deletion, patches of every type, and the local.stampede.dev extensions.
#include <set>
#include <thread>

#include "tests/kubectl/kubectl_fixture.h"

namespace kubectl_test {
namespace {

using runtime_test::eventually;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(KubectlTest, DeletedPodIsReplaced) {
  std::string old = pod_names("frontend").at(0);
  KubectlResult deleted = kubectl({"delete", "pod", old});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.describe();
  EXPECT_TRUE(contains(deleted.out, "pod \"" + old + "\" deleted")) << deleted.describe();
  // kubectl waited for the pod to be gone: it is.
  EXPECT_EQ(kubectl({"get", "pod", old}).exit_code, 1);
  KubectlResult wait =
      kubectl({"wait", "--for=condition=Ready", "pod", "-l", "app=frontend", "--timeout=60s"});
  ASSERT_EQ(wait.exit_code, 0) << wait.describe();
  std::vector<std::string> now = pod_names("frontend");
  ASSERT_EQ(now.size(), 1u);
  EXPECT_NE(now[0], old);
  json events = kubectl_json({"get", "events", "--field-selector", "involvedObject.name=" + old});
  std::set<std::string> reasons;
  for (const json& e : events["items"]) reasons.insert(e["reason"]);
  EXPECT_EQ(reasons.count("Killing"), 1u) << events.dump(2);
}

TEST_F(KubectlTest, ForceDeleteReplacesThePodAtOnce) {
  std::string old = pod_names("productcatalog").at(0);
  KubectlResult deleted = kubectl({"delete", "pod", old, "--grace-period=0", "--force"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.describe();
  EXPECT_TRUE(contains(deleted.out, "force deleted")) << deleted.describe();
  EXPECT_LT(deleted.elapsed, std::chrono::seconds(5)) << deleted.describe();
  EXPECT_EQ(kubectl({"get", "pod", old}).exit_code, 1);
  ASSERT_TRUE(eventually(
      [&] {
        auto names = pod_names("productcatalog");
        return names.size() == 1 && names[0] != old;
      },
      std::chrono::seconds(10)));
  // Not a restart in place: the restart count of the new pod is 0.
  json pod = kubectl_json({"get", "pod", pod_names("productcatalog").at(0)});
  EXPECT_EQ(pod["status"]["containerStatuses"][0]["restartCount"], 0);
}

TEST_F(KubectlTest, ScaleToThree) {
  KubectlResult scaled = kubectl({"scale", "deploy", "frontend", "--replicas", "3"});
  ASSERT_EQ(scaled.exit_code, 0) << scaled.describe();
  EXPECT_TRUE(contains(scaled.out, "deployment.apps/frontend scaled")) << scaled.describe();
  ASSERT_TRUE(
      eventually([&] { return pod_names("frontend").size() == 3; }, std::chrono::seconds(20)));
  KubectlResult wait =
      kubectl({"wait", "--for=condition=Ready", "pod", "-l", "app=frontend", "--timeout=60s"});
  ASSERT_EQ(wait.exit_code, 0) << wait.describe();
  KubectlResult pods = kubectl({"get", "pods", "-l", "app=frontend"});
  size_t ready = 0;
  for (size_t at = pods.out.find("1/1"); at != std::string::npos;
       at = pods.out.find("1/1", at + 1)) {
    ++ready;
  }
  EXPECT_EQ(ready, 3u) << pods.describe();
  json d = kubectl_json({"get", "deploy", "frontend"});
  EXPECT_EQ(d["spec"]["replicas"], 3);
  EXPECT_EQ(d["metadata"]["generation"], 2);
  json events = kubectl_json({"get", "events", "--field-selector", "reason=ScalingReplicaSet"});
  ASSERT_EQ(events["items"].size(), 1u) << events.dump(2);
  EXPECT_TRUE(contains(events["items"][0]["message"], "Scaled up replica set frontend-"));
  EXPECT_TRUE(contains(events["items"][0]["message"], " to 3 from 1"));
}

TEST_F(KubectlTest, RolloutRestartAndStatus) {
  ASSERT_EQ(kubectl({"scale", "deploy", "frontend", "--replicas", "2"}).exit_code, 0);
  ASSERT_EQ(kubectl({"rollout", "status", "deploy/frontend", "--timeout=60s"}).exit_code, 0);
  std::vector<std::string> before = pod_names("frontend");
  ASSERT_EQ(before.size(), 2u);
  KubectlResult restart = kubectl({"rollout", "restart", "deploy/frontend"});
  ASSERT_EQ(restart.exit_code, 0) << restart.describe();
  EXPECT_TRUE(contains(restart.out, "deployment.apps/frontend restarted")) << restart.describe();
  KubectlResult status = kubectl({"rollout", "status", "deploy/frontend", "--timeout=120s"},
                                 std::chrono::seconds(150));
  ASSERT_EQ(status.exit_code, 0) << status.describe();
  EXPECT_TRUE(contains(status.out, "Waiting for deployment \"frontend\" rollout to finish"))
      << status.describe();
  EXPECT_TRUE(contains(status.out, "deployment \"frontend\" successfully rolled out"))
      << status.describe();
  // It finished when the runtime's rollout did: every pod is new and Ready.
  json d = shop_->deployment("frontend");
  EXPECT_EQ(d["rollout"]["in_progress"], false) << d.dump(2);
  std::vector<std::string> after = pod_names("frontend");
  ASSERT_EQ(after.size(), 2u);
  for (const std::string& p : after) {
    EXPECT_EQ(std::find(before.begin(), before.end(), p), before.end()) << p;
  }
  json deployment = kubectl_json({"get", "deploy", "frontend"});
  EXPECT_TRUE(deployment["spec"]["template"]["metadata"]["annotations"].contains(
      "kubectl.kubernetes.io/restartedAt"))
      << deployment.dump(2);
  EXPECT_EQ(deployment["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "2");
  EXPECT_EQ(deployment["status"]["updatedReplicas"], 2);
}

TEST_F(KubectlTest, Logs) {
  std::string pod = pod_names("frontend").at(0);
  KubectlResult logs = kubectl({"logs", pod});
  ASSERT_EQ(logs.exit_code, 0) << logs.describe();
  EXPECT_TRUE(contains(logs.out, "frontend INFO serving on 127.0.0.1:")) << logs.describe();
  KubectlResult tail = kubectl({"logs", "deploy/frontend", "--tail", "1"});
  ASSERT_EQ(tail.exit_code, 0) << tail.describe();
  EXPECT_EQ(std::count(tail.out.begin(), tail.out.end(), '\n'), 1) << tail.describe();
  KubectlResult limited = kubectl({"logs", pod, "--limit-bytes", "10"});
  EXPECT_EQ(limited.out.size(), 10u) << limited.describe();
  KubectlResult previous = kubectl({"logs", pod, "--previous"});
  EXPECT_NE(previous.exit_code, 0);
  EXPECT_TRUE(contains(previous.err, "previous terminated container")) << previous.describe();
  KubectlResult wrong = kubectl({"logs", pod, "-c", "nope"});
  EXPECT_TRUE(contains(wrong.err, "container nope is not valid for pod " + pod))
      << wrong.describe();
  // Followed: it ends when the container stops.
  auto follow = kubectl_->start({"logs", "-f", pod});
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ASSERT_EQ(kubectl({"delete", "pod", pod, "--wait=false"}).exit_code, 0);
  KubectlResult followed = follow->stop(std::chrono::seconds(20));
  EXPECT_EQ(followed.exit_code, 0) << followed.describe();
  EXPECT_TRUE(contains(followed.out, "serving on")) << followed.describe();
}

TEST_F(KubectlTest, WatchSeesTheDeletion) {
  std::string pod = pod_names("frontend").at(0);
  auto watch = kubectl_->start({"get", "pods", "-w"});
  ASSERT_TRUE(eventually([&] { return contains(watch->output(), pod); }, std::chrono::seconds(10)))
      << watch->output();
  ASSERT_EQ(kubectl({"delete", "pod", pod, "--wait=false"}).exit_code, 0);
  bool seen = eventually(
      [&] {
        std::string out = watch->output();
        return contains(out, "Terminating") && pod_names("frontend").size() == 1 &&
               contains(out, pod_names("frontend").at(0));
      },
      std::chrono::seconds(20));
  KubectlResult r = watch->stop();
  ASSERT_TRUE(seen) << r.describe();
  // One header, then rows: the initial list, the deletion's Terminating, the replacement's.
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), 'N') > 0, true);
  EXPECT_EQ(r.out.find("NAME"), r.out.rfind("NAME")) << r.out;
  EXPECT_TRUE(contains(r.out, "ContainerCreating") || contains(r.out, "0/1     Running")) << r.out;
}

TEST_F(KubectlTest, PatchesOfEveryType) {
  struct Case {
    std::vector<std::string> args;
    int replicas;
  };
  const Case cases[] = {
      {{"patch", "deploy", "frontend", "-p", R"({"spec":{"replicas":2}})"}, 2},
      {{"patch", "deploy", "frontend", "--type", "merge", "-p", R"({"spec":{"replicas":3}})"}, 3},
      {{"patch", "deploy", "frontend", "--type", "json", "-p",
        R"([{"op":"replace","path":"/spec/replicas","value":1}])"},
       1},
      {{"patch", "deploy", "frontend", "--subresource", "scale", "--type", "merge", "-p",
        R"({"spec":{"replicas":2}})"},
       2},
  };
  for (const Case& c : cases) {
    KubectlResult r = kubectl(c.args);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    // "deployment.apps/frontend patched"; through the subresource "scale.autoscaling/frontend".
    EXPECT_TRUE(contains(r.out, "/frontend patched")) << r.describe();
    EXPECT_EQ(kubectl_json({"get", "deploy", "frontend"})["spec"]["replicas"], c.replicas);
  }
  // A template annotation rolls out, as `rollout restart` does.
  KubectlResult annotate =
      kubectl({"patch", "deploy", "frontend", "-p",
               R"({"spec":{"template":{"metadata":{"annotations":{"example.com/why":"test"}}}}})"});
  ASSERT_EQ(annotate.exit_code, 0) << annotate.describe();
  EXPECT_EQ(
      kubectl_json({"get", "deploy",
                    "frontend"})["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
      "2");
  struct Bad {
    std::vector<std::string> args;
    std::string err;
  };
  const Bad bad[] = {
      {{"patch", "deploy", "frontend", "-p", R"({"spec":{"replicas":"three"}})"},
       "The Deployment \"frontend\" is invalid: spec.replicas: Invalid value: \"three\": "
       "spec.replicas in body must be of type integer: \"string\""},
      {{"patch", "deploy", "frontend", "--type", "merge", "-p", R"({"spec":{"replicas":-1}})"},
       "spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
      {{"patch", "deploy", "frontend", "--type", "json", "-p",
        R"([{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"x:1"}])"},
       "spec.template.spec.containers[0].image: Forbidden: the local runtime runs the chart's "
       "values"},
      {{"patch", "deploy", "frontend", "--type", "json", "-p",
        R"([{"op":"test","path":"/spec/replicas","value":99}])"},
       "The request is invalid: the patch cannot be applied"},
      {{"patch", "deploy", "frontend", "--type", "merge", "-p", R"({"spec":{"paused":true}})"},
       "spec.paused: Forbidden"},
  };
  for (const Bad& b : bad) {
    KubectlResult r = kubectl(b.args);
    EXPECT_NE(r.exit_code, 0) << r.describe();
    EXPECT_TRUE(contains(r.err, b.err)) << b.err << "\n" << r.describe();
  }
}

TEST_F(KubectlTest, LocalExtensions) {
  std::string pod = pod_names("productcatalog").at(0);
  std::string base = "/apis/local.stampede.dev/v1/namespaces/default/";
  KubectlResult paused =
      kubectl({"create", "--raw", base + "pods/" + pod + "/pause", "-f", "/dev/null"});
  ASSERT_EQ(paused.exit_code, 0) << paused.describe();
  EXPECT_EQ(shop_->get("/v1/pods/" + pod)["state"], "paused");
  // The pod says so with a condition of the extension group's.
  bool condition = false;
  json paused_pod = kubectl_json({"get", "pod", pod});
  for (const json& c : paused_pod["status"]["conditions"]) {
    condition = condition || (c["type"] == "local.stampede.dev/Paused" && c["status"] == "True");
  }
  EXPECT_TRUE(condition);
  KubectlResult again =
      kubectl({"create", "--raw", base + "pods/" + pod + "/pause", "-f", "/dev/null"});
  EXPECT_TRUE(contains(again.err, "(Conflict)")) << again.describe();
  ASSERT_EQ(
      kubectl({"create", "--raw", base + "pods/" + pod + "/resume", "-f", "/dev/null"}).exit_code,
      0);
  KubectlResult not_paused =
      kubectl({"create", "--raw", base + "pods/" + pod + "/resume", "-f", "/dev/null"});
  EXPECT_TRUE(contains(not_paused.err, "(Conflict)")) << not_paused.describe();
  std::string fault = shop_->dir().write("fault.json", R"({"latency_ms": 20})");
  KubectlResult set = kubectl({"replace", "--raw", base + "services/frontend/fault", "-f", fault});
  ASSERT_EQ(set.exit_code, 0) << set.describe();
  EXPECT_EQ(json::parse(set.out)["spec"]["latency_ms"], 20) << set.describe();
  EXPECT_TRUE(kubectl_json({"get", "svc", "frontend"})["metadata"]["annotations"].contains(
      "local.stampede.dev/fault"));
  KubectlResult cleared = kubectl({"delete", "--raw", base + "services/frontend/fault"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.describe();
  EXPECT_TRUE(shop_->get("/v1/services")[0]["fault"].is_null() ||
              shop_->get("/v1/services")[1]["fault"].is_null());
  json events =
      kubectl_json({"get", "events", "--field-selector", "reportingComponent=stampede-local"});
  std::set<std::string> reasons;
  for (const json& e : events["items"]) reasons.insert(e["reason"]);
  EXPECT_EQ(reasons, (std::set<std::string>{"Paused", "Resumed", "FaultSet", "FaultCleared"}))
      << events.dump(2);
}

class WithoutExtensions : public KubectlTest {
  runtime_test::UpOptions options() const override {
    runtime_test::UpOptions o = small_shop();
    o.sets.push_back("localRuntime.kubernetesApi.extensions=false");
    return o;
  }
};

TEST_F(WithoutExtensions, TheExtensionGroupIsNotThere) {
  KubectlResult versions = kubectl({"api-versions"});
  ASSERT_EQ(versions.exit_code, 0) << versions.describe();
  EXPECT_FALSE(contains(versions.out, "local.stampede.dev")) << versions.out;
  std::string pod = pod_names("productcatalog").at(0);
  KubectlResult pause = kubectl(
      {"create", "--raw", "/apis/local.stampede.dev/v1/namespaces/default/pods/" + pod + "/pause",
       "-f", "/dev/null"});
  EXPECT_TRUE(contains(pause.err, "(NotFound)")) << pause.describe();
  EXPECT_EQ(shop_->get("/v1/pods/" + pod)["state"], "running");
}

class WithHpa : public KubectlTest {
  runtime_test::UpOptions options() const override {
    runtime_test::UpOptions o = small_shop();
    o.sets = {"services.productcatalog.autoscaling.enabled=true",
              "services.productcatalog.autoscaling.minReplicas=1",
              "services.productcatalog.autoscaling.maxReplicas=3",
              "localRuntime.hpaSyncPeriodSeconds=1", "localRuntime.cpuWindowSeconds=2"};
    return o;
  }
};

TEST_F(WithHpa, GetHpa) {
  KubectlResult hpa;
  ASSERT_TRUE(eventually(
      [&] {
        hpa = kubectl({"get", "hpa"});
        return hpa.exit_code == 0 && contains(hpa.out, "cpu: ") && !contains(hpa.out, "<unknown>");
      },
      std::chrono::seconds(20)))
      << hpa.describe();
  for (const char* column : {"NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS"}) {
    EXPECT_TRUE(contains(hpa.out.substr(0, hpa.out.find('\n')), column)) << hpa.out;
  }
  EXPECT_TRUE(contains(hpa.out, "Deployment/productcatalog")) << hpa.out;
  EXPECT_TRUE(contains(hpa.out, "/70%")) << hpa.out;
  json h = kubectl_json({"get", "hpa", "productcatalog"});
  EXPECT_EQ(h["apiVersion"], "autoscaling/v2");
  EXPECT_EQ(h["spec"]["scaleTargetRef"]["kind"], "Deployment");
  EXPECT_EQ(h["spec"]["maxReplicas"], 3);
  EXPECT_EQ(h["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], 70);
  EXPECT_TRUE(h["spec"].contains("behavior")) << h.dump(2);  // `behavior: {}`: the defaults
  std::map<std::string, std::string> conditions;
  for (const json& c : h["status"]["conditions"]) conditions[c["type"]] = c["reason"];
  EXPECT_EQ(conditions["ScalingActive"], "ValidMetricFound") << h.dump(2);
  EXPECT_TRUE(conditions.count("AbleToScale") == 1) << h.dump(2);
  EXPECT_TRUE(
      h["status"]["currentMetrics"][0]["resource"]["current"].contains("averageUtilization"));
}

}  // namespace
}  // namespace kubectl_test
