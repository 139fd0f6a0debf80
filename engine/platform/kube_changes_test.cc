// Watch deliveries -> platform events, stamped when observed.
#include "engine/platform/kube_changes.h"

#include <gtest/gtest.h>

namespace stampede {
namespace {

using nlohmann::json;
using Kind = KubeChangeLog::Kind;

json pod(const std::string& name, bool ready, int restarts = 0) {
  json p = json::parse(R"({"apiVersion":"v1","kind":"Pod",
    "metadata":{"name":"","labels":{"pod-template-hash":"abc12"},
      "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"cart-abc12",
                          "uid":"u","controller":true}]},
    "spec":{"containers":[{"name":"cart","image":"shop"}]},
    "status":{"phase":"Running","conditions":[{"type":"Ready","status":"False",
      "lastTransitionTime":"2026-12-07T14:03:07Z"}],
      "containerStatuses":[{"name":"cart","ready":false,"restartCount":0,"image":"shop",
        "imageID":"","state":{"running":{"startedAt":"2026-12-07T14:03:07Z"}}}]}})");
  p["metadata"]["name"] = name;
  p["status"]["conditions"][0]["status"] = ready ? "True" : "False";
  p["status"]["containerStatuses"][0]["ready"] = ready;
  p["status"]["containerStatuses"][0]["restartCount"] = restarts;
  return p;
}

std::vector<std::string> kinds(const KubeChangeLog& log, int64_t since = 0) {
  std::vector<std::string> out;
  for (const PlatformEventRecord& r : log.since(since).events) {
    out.push_back(r.kind + " " + (r.pod.empty() ? r.deployment : r.pod));
  }
  return out;
}

TEST(KubeChangeLog, TheFirstListIsTheBaselineAndChangesAreStampedWhenObserved) {
  KubeChangeLog log(KubeNames{});
  log.on_list(Kind::kPod, {pod("cart-1", true)}, 100);
  EXPECT_TRUE(log.since(0).events.empty());
  EXPECT_TRUE(log.listed(Kind::kPod));
  EXPECT_FALSE(log.listed(Kind::kDeployment));
  log.on_event(Kind::kPod, "ADDED", pod("cart-2", false), 200);
  log.on_event(Kind::kPod, "MODIFIED", pod("cart-2", true), 300);
  log.on_event(Kind::kPod, "MODIFIED", pod("cart-2", true), 350);  // nothing changed
  json dying = pod("cart-1", false);
  dying["metadata"]["deletionTimestamp"] = "2026-12-07T14:04:00Z";
  dying["metadata"]["deletionGracePeriodSeconds"] = 0;
  log.on_event(Kind::kPod, "MODIFIED", dying, 400);
  log.on_event(Kind::kPod, "DELETED", dying, 500);
  EXPECT_EQ(kinds(log), (std::vector<std::string>{"pod-created cart-2", "pod-ready cart-2",
                                                  "pod-terminated cart-1", "pod-unready cart-1",
                                                  "pod-deleted cart-1"}));
  EventBatch all = log.since(0);
  EXPECT_EQ(all.events[1].mono_ns, 300);
  EXPECT_EQ(all.events[1].deployment, "cart");
  EXPECT_EQ(all.events[1].server_time, "2026-12-07T14:03:07Z");
  EXPECT_EQ(all.events[2].detail, "grace period 0s");
  EXPECT_EQ(kinds(log, all.next), std::vector<std::string>{});
  EXPECT_EQ(log.since(all.events[3].seq).events.size(), 2u);
}

TEST(KubeChangeLog, RestartsExitsAndCrashLoops) {
  KubeChangeLog log(KubeNames{});
  log.on_list(Kind::kPod, {pod("cart-1", true)}, 1);
  json exited = pod("cart-1", false);
  exited["status"]["containerStatuses"][0]["state"] =
      json::parse(R"({"terminated":{"exitCode":137,"reason":"Error"}})");
  log.on_event(Kind::kPod, "MODIFIED", exited, 2);
  json restarted = pod("cart-1", false, 1);
  restarted["status"]["containerStatuses"][0]["lastState"] =
      json::parse(R"({"terminated":{"exitCode":137,"reason":"OOMKilled",
                                    "finishedAt":"2026-12-07T14:03:08Z"}})");
  log.on_event(Kind::kPod, "MODIFIED", restarted, 3);
  json backoff = restarted;
  backoff["status"]["containerStatuses"][0]["state"] =
      json::parse(R"({"waiting":{"reason":"CrashLoopBackOff"}})");
  log.on_event(Kind::kPod, "MODIFIED", backoff, 4);
  EXPECT_EQ(kinds(log),
            (std::vector<std::string>{"pod-exited cart-1", "pod-unready cart-1",
                                      "pod-restarted cart-1", "crash-loop-backoff cart-1"}));
  EventBatch b = log.since(0);
  EXPECT_EQ(b.events[0].detail, "Error, exit code 137");
  EXPECT_EQ(b.events[2].detail, "restart 1 (last exit: OOMKilled, exit code 137)");
}

json deployment(int generation, int observed, int replicas, int updated, int current, int available,
                const std::string& restarted_at = "") {
  json d = {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", "shop-frontend"}, {"generation", generation}}},
            {"spec",
             {{"replicas", replicas},
              {"selector", {{"matchLabels", {{"app", "frontend"}}}}},
              {"template", {{"metadata", {{"labels", {{"app", "frontend"}}}}}}}}},
            {"status",
             {{"observedGeneration", observed},
              {"replicas", current},
              {"updatedReplicas", updated},
              {"availableReplicas", available}}}};
  if (!restarted_at.empty()) {
    d["spec"]["template"]["metadata"]["annotations"] = {
        {"kubectl.kubernetes.io/restartedAt", restarted_at}};
  }
  return d;
}

TEST(KubeChangeLog, ScalesAndRollouts) {
  KubeChangeLog log(KubeNames{"shop-"});
  log.on_list(Kind::kDeployment, {deployment(1, 1, 2, 2, 2, 2)}, 1);
  log.on_event(Kind::kDeployment, "MODIFIED", deployment(2, 2, 3, 2, 2, 2), 2);  // scale up
  log.on_event(Kind::kDeployment, "MODIFIED", deployment(2, 2, 3, 3, 3, 3), 3);  // no rollout
  log.on_event(Kind::kDeployment, "MODIFIED", deployment(3, 2, 3, 3, 3, 3, "t1"), 4);
  log.on_event(Kind::kDeployment, "MODIFIED", deployment(3, 3, 3, 1, 4, 3, "t1"), 5);
  log.on_event(Kind::kDeployment, "MODIFIED", deployment(3, 3, 3, 3, 4, 3, "t1"), 6);  // old pod
  log.on_event(Kind::kDeployment, "MODIFIED", deployment(3, 3, 3, 3, 3, 3, "t1"), 7);
  EXPECT_EQ(kinds(log), (std::vector<std::string>{"scaled frontend", "rollout-started frontend",
                                                  "rollout-finished frontend"}));
  EXPECT_EQ(log.since(0).events[0].detail, "2 -> 3");
  EXPECT_EQ(log.since(0).events[2].mono_ns, 7);
}

TEST(KubeChangeLog, HpaScalesAndApiEvents) {
  KubeChangeLog log(KubeNames{"shop-"});
  json hpa = json::parse(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
    "metadata":{"name":"shop-frontend"},
    "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"shop-frontend"},
            "maxReplicas":5},
    "status":{"currentReplicas":2,"desiredReplicas":2}})");
  log.on_list(Kind::kHpa, {hpa}, 1);
  hpa["status"]["desiredReplicas"] = 4;
  hpa["status"]["lastScaleTime"] = "2026-12-07T14:03:07Z";
  log.on_event(Kind::kHpa, "MODIFIED", hpa, 2);
  json old_event = json::parse(R"({"apiVersion":"v1","kind":"Event",
    "metadata":{"name":"x.1","uid":"e1"},"involvedObject":{"kind":"Pod","name":"shop-frontend-1"},
    "reason":"Started","message":"Started container frontend","type":"Normal","count":1})");
  log.on_list(Kind::kEvent, {old_event}, 3);
  json unhealthy = json::parse(R"({"apiVersion":"v1","kind":"Event",
    "metadata":{"name":"x.2","uid":"e2"},"involvedObject":{"kind":"Pod","name":"shop-frontend-1"},
    "reason":"Unhealthy","message":"Readiness probe failed: connection refused",
    "type":"Warning","count":1,"lastTimestamp":"2026-12-07T14:03:09Z"})");
  log.on_event(Kind::kEvent, "ADDED", unhealthy, 4);
  log.on_event(Kind::kEvent, "MODIFIED", unhealthy, 5);  // same count: not again
  unhealthy["count"] = 2;
  unhealthy["eventTime"] = "2026-12-07T14:03:08.500000Z";  // the first occurrence's
  unhealthy["lastTimestamp"] = "2026-12-07T14:03:11Z";
  log.on_event(Kind::kEvent, "MODIFIED", unhealthy, 6);
  json scaled = json::parse(R"({"apiVersion":"v1","kind":"Event",
    "metadata":{"name":"x.3","uid":"e3"},
    "involvedObject":{"kind":"Deployment","name":"shop-frontend"},
    "reason":"ScalingReplicaSet","message":"Scaled up replica set shop-frontend-abc to 4 from 2",
    "type":"Normal","count":1,"eventTime":"2026-12-07T14:03:09.123456Z"})");
  log.on_event(Kind::kEvent, "ADDED", scaled, 7);
  EXPECT_EQ(kinds(log),
            (std::vector<std::string>{"hpa-scaled frontend", "probe-failed shop-frontend-1",
                                      "probe-failed shop-frontend-1", "event frontend"}));
  EventBatch b = log.since(0);
  EXPECT_EQ(b.events[0].detail, "2 -> 4");
  EXPECT_EQ(b.events[0].server_time, "2026-12-07T14:03:07Z");
  EXPECT_EQ(b.events[1].detail, "Readiness probe failed: connection refused");
  EXPECT_EQ(b.events[2].server_time, "2026-12-07T14:03:11Z");  // the repeat's own time
  EXPECT_EQ(b.events[3].detail,
            "ScalingReplicaSet: Scaled up replica set shop-frontend-abc to 4 from 2");
  EXPECT_EQ(b.events[3].server_time, "2026-12-07T14:03:09.123456Z");
}

TEST(KubeChangeLog, AReListAfterGoneReportsWhatChangedMeanwhile) {
  KubeChangeLog log(KubeNames{});
  log.on_list(Kind::kPod, {pod("cart-1", true), pod("cart-2", true)}, 1);
  // The watch fell behind (410): the fresh list lacks cart-1, has cart-3, and cart-2 restarted.
  log.on_list(Kind::kPod, {pod("cart-2", true, 1), pod("cart-3", true)}, 9);
  EXPECT_EQ(kinds(log), (std::vector<std::string>{"pod-restarted cart-2", "pod-created cart-3",
                                                  "pod-ready cart-3", "pod-deleted cart-1"}));
  for (const PlatformEventRecord& r : log.since(0).events) EXPECT_EQ(r.mono_ns, 9);
}

TEST(KubeChangeLog, KeepsOnlyTheNewestRecords) {
  KubeChangeLog log(KubeNames{}, 3);
  log.on_list(Kind::kPod, {}, 0);
  for (int i = 0; i < 5; ++i)
    log.on_event(Kind::kPod, "ADDED", pod("p" + std::to_string(i), false), i);
  EventBatch b = log.since(0);
  ASSERT_EQ(b.events.size(), 3u);
  EXPECT_EQ(b.events.front().pod, "p2");
  EXPECT_EQ(b.next, 6);
}

}  // namespace
}  // namespace stampede
