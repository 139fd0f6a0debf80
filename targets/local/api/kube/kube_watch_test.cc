// Watches of the Kubernetes API through the real HTTP server: initial events, replay from a
// resourceVersion, selector transitions, bookmarks, timeouts, Table events and 410 Expired.
#include <gtest/gtest.h>

#include "targets/local/api/kube/kube_api_fixture.h"

namespace stampede::local::kube::testing {
namespace {

TEST_F(KubeApiTest, WatchesStartReplayAndFollowSelectors) {
  std::string pod = pod_names()[0];
  json list = get_json("/api/v1/namespaces/default/pods");
  std::string rv = list["metadata"]["resourceVersion"];
  // From no resourceVersion: ADDED for both pods first.
  Watch all(server_->port(), "/api/v1/namespaces/default/pods?watch=true");
  auto initial = all.until(2);
  ASSERT_EQ(initial.size(), 2u);
  EXPECT_EQ(initial[0]["type"], "ADDED");
  // From the list's version, filtered to one pod: nothing until it changes.
  Watch one(server_->port(), "/api/v1/namespaces/default/pods?watch=1&resourceVersion=" + rv +
                                 "&fieldSelector=metadata.name%3D" + pod);
  ASSERT_EQ(call(bhttp::verb::delete_, "/api/v1/namespaces/default/pods/" + pod).result_int(),
            200u);
  auto events = one.until(2);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0]["type"], "MODIFIED");
  EXPECT_TRUE(events[0]["object"]["metadata"].contains("deletionTimestamp"));
  EXPECT_EQ(events.back()["type"], "DELETED");
  EXPECT_EQ(events.back()["object"]["metadata"]["name"], pod);
  // A label selector the pod stops matching... the replacement is ADDED to the first watch.
  auto more = all.until(6);
  bool added_replacement = false;
  for (size_t i = 2; i < more.size(); ++i) {
    added_replacement = added_replacement || (more[i]["type"] == "ADDED" &&
                                              more[i]["object"]["metadata"]["name"] != pod);
  }
  EXPECT_TRUE(added_replacement);
  // Replay: from the old version, the same changes again.
  Watch replay(server_->port(), "/api/v1/namespaces/default/pods?watch=1&resourceVersion=" + rv +
                                    "&fieldSelector=metadata.name%3D" + pod);
  auto replayed = replay.until(2);
  EXPECT_EQ(replayed.back()["type"], "DELETED");
}

TEST_F(KubeApiTest, WatchBookmarksTimeoutsAndTables) {
  Watch w(server_->port(),
          "/apis/apps/v1/namespaces/default/deployments?watch=true&allowWatchBookmarks=true"
          "&timeoutSeconds=1");
  auto events = w.until(100);  // until the end
  EXPECT_TRUE(w.ended());
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0]["type"], "ADDED");
  EXPECT_EQ(events.back()["type"], "BOOKMARK");
  EXPECT_EQ(events.back()["object"]["kind"], "Deployment");
  EXPECT_FALSE(events.back()["object"]["metadata"]["resourceVersion"].get<std::string>().empty());
  Watch table(server_->port(), "/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1",
              {{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"}});
  auto rows = table.until(2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["object"]["kind"], "Table");
  EXPECT_EQ(rows[0]["object"]["columnDefinitions"].size(), 9u);
  EXPECT_TRUE(rows[1]["object"]["columnDefinitions"].empty());  // headers only once
  EXPECT_EQ(rows[1]["object"]["rows"].size(), 1u);
}

class SmallHistory : public KubeApiTest {
  size_t history() const override { return 3; }
};

TEST_F(SmallHistory, AnExpiredVersionIsAnErrorEvent) {
  // Every pod start, readiness change and event is a change: the history of 3 moved on.
  Watch w(server_->port(), "/api/v1/namespaces/default/pods?watch=true&resourceVersion=1");
  auto events = w.until(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "ERROR");
  EXPECT_EQ(events[0]["object"]["code"], 410);
  EXPECT_EQ(events[0]["object"]["reason"], "Expired");
  EXPECT_EQ(
      events[0]["object"]["message"].get<std::string>().rfind("too old resource version: 1 (", 0),
      0u);
  w.until(2);
  EXPECT_TRUE(w.ended());
}

}  // namespace
}  // namespace stampede::local::kube::testing
