#include "targets/local/api/kube/kube_store.h"

#include <gtest/gtest.h>

namespace stampede::local::kube {
namespace {

using nlohmann::json;

json pod(const std::string& name, const std::string& phase = "Running") {
  return {{"kind", "Pod"}, {"metadata", {{"name", name}}}, {"status", {{"phase", phase}}}};
}

std::string rv_of(const ObjectPtr& o) {
  return o ? (*o)["metadata"]["resourceVersion"].get<std::string>() : "";
}

json parsed(const FormPtr& f) {
  return f ? json::parse(f->text) : json(nullptr);
}

TEST(ObjectStore, ResourceVersionsMoveOnlyOnChange) {
  ObjectStore store;
  EXPECT_EQ(store.replace("pods", {pod("a"), pod("b")}), 2u);
  EXPECT_EQ(store.resource_version(), 2u);
  EXPECT_EQ(rv_of(store.get("pods", "a")), "1");
  EXPECT_EQ(rv_of(store.get("pods", "b")), "2");
  // The same render again: nothing changes, nothing is numbered.
  EXPECT_EQ(store.replace("pods", {pod("a"), pod("b")}), 0u);
  EXPECT_EQ(store.resource_version(), 2u);
  // One object changes: one new version, the other keeps its own.
  EXPECT_EQ(store.replace("pods", {pod("a", "Pending"), pod("b")}), 1u);
  EXPECT_EQ(rv_of(store.get("pods", "a")), "3");
  EXPECT_EQ(rv_of(store.get("pods", "b")), "2");
  // One vanishes: DELETED, with the version of the deletion.
  EXPECT_EQ(store.replace("pods", {pod("a", "Pending")}), 1u);
  EXPECT_EQ(store.get("pods", "b"), nullptr);
  Listing l = store.list("pods");
  ASSERT_EQ(l.items.size(), 1u);
  EXPECT_EQ(l.rv, 4u);
  auto changes = store.changes_after(0);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes.value().size(), 4u);
  EXPECT_EQ(changes.value()[2].type, ChangeType::kModified);
  EXPECT_EQ(parsed(changes.value()[2].previous)["status"]["phase"], "Running");
  const Change& deleted = changes.value()[3];
  EXPECT_EQ(deleted.type, ChangeType::kDeleted);
  EXPECT_EQ(parsed(deleted.object)["metadata"]["resourceVersion"], "4");
  EXPECT_EQ(parsed(deleted.object)["metadata"]["name"], "b");
  // The watch form: what selectors look at, without parsing.
  EXPECT_EQ(deleted.object->fields.at("metadata.name"), "b");
  EXPECT_EQ(deleted.object->fields.at("status.phase"), "Running");
  EXPECT_EQ(store.list_forms("pods").items.size(), 1u);
}

TEST(ObjectStore, ResourcesShareOneCounter) {
  ObjectStore store;
  store.replace("pods", {pod("a")});
  EXPECT_TRUE(store.put("events", {{"metadata", {{"name", "e1"}}}, {"count", 1}}));
  EXPECT_FALSE(store.put("events", {{"metadata", {{"name", "e1"}}}, {"count", 1}}));
  EXPECT_TRUE(store.put("events", {{"metadata", {{"name", "e1"}}}, {"count", 2}}));
  EXPECT_TRUE(store.erase("events", "e1"));
  EXPECT_FALSE(store.erase("events", "e1"));
  EXPECT_EQ(store.resource_version(), 4u);
  auto after = store.changes_after(2);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after.value().size(), 2u);
  EXPECT_EQ(after.value()[0].resource, "events");
  EXPECT_EQ(after.value()[0].rv, 3u);
}

TEST(ObjectStore, HistoryIsBoundedAndOlderVersionsExpire) {
  ObjectStore store(3);
  for (int i = 0; i < 5; ++i) store.replace("pods", {pod("a", "P" + std::to_string(i))});
  EXPECT_EQ(store.resource_version(), 5u);
  // Changes 3, 4, 5 are kept: from 2 on a watch can resume, from 1 it cannot.
  auto ok = store.changes_after(2);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().size(), 3u);
  auto old = store.changes_after(1);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.error().message(), "too old resource version: 1 (2)");
  EXPECT_TRUE(store.changes_after(5).value().empty());
  EXPECT_TRUE(store.changes_after(99).value().empty());  // the future: nothing yet
  EXPECT_EQ(store.changes_after(2, 1).value().size(), 1u);
}

TEST(ObjectStore, UnversionedResourcesHaveNoHistory) {
  ObjectStore store;
  store.set_unversioned("podmetrics", {pod("a"), pod("b")});
  EXPECT_EQ(store.resource_version(), 0u);
  EXPECT_EQ(store.list("podmetrics").items.size(), 2u);
  EXPECT_NE(store.get("podmetrics", "b"), nullptr);
  EXPECT_TRUE(store.changes_after(0).value().empty());
}

TEST(ObjectStore, TheChangeCallbackRunsOnlyWhenSomethingChanged) {
  ObjectStore store;
  int calls = 0;
  store.set_on_change([&] { ++calls; });
  store.replace("pods", {pod("a")});
  store.replace("pods", {pod("a")});
  store.put("pods", pod("a"));
  EXPECT_EQ(calls, 1);
  store.erase("pods", "a");
  EXPECT_EQ(calls, 2);
  // Objects without a name are not stored.
  EXPECT_EQ(store.replace("pods", {json{{"kind", "Pod"}}}), 0u);
}

}  // namespace
}  // namespace stampede::local::kube
