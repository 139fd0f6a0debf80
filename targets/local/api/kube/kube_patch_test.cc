#include "targets/local/api/kube/kube_patch.h"

#include <gtest/gtest.h>

namespace stampede::local::kube {
namespace {

using nlohmann::json;

json deployment() {
  return json::parse(R"({
    "metadata": {"name": "frontend", "labels": {"app": "frontend"}},
    "spec": {"replicas": 1,
             "template": {"metadata": {"labels": {"app": "frontend"}},
                          "spec": {"containers": [
                            {"name": "frontend", "image": "shop:1",
                             "ports": [{"name": "http", "containerPort": 8080},
                                       {"name": "admin", "containerPort": 9465}],
                             "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                             "args": ["frontend"]},
                            {"name": "sidecar", "image": "side:1"}]}}}})");
}

TEST(Patch, ContentTypesPickThePatch) {
  EXPECT_EQ(patch_type_for("application/merge-patch+json"), PatchType::kMerge);
  EXPECT_EQ(patch_type_for("application/json-patch+json; charset=utf-8"), PatchType::kJson);
  EXPECT_EQ(patch_type_for("Application/Strategic-Merge-Patch+JSON"), PatchType::kStrategic);
  EXPECT_FALSE(patch_type_for("application/json").has_value());
  EXPECT_FALSE(patch_type_for("application/apply-patch+yaml").has_value());
  EXPECT_FALSE(patch_type_for("").has_value());
}

TEST(Patch, MergePatchFollowsRfc7386) {
  PatchOutcome o = apply_patch(deployment(), PatchType::kMerge,
                               R"({"spec": {"replicas": 3}, "metadata": {"labels": null}})");
  ASSERT_EQ(o.code, 200) << o.error;
  EXPECT_EQ(o.document["spec"]["replicas"], 3);
  EXPECT_FALSE(o.document["metadata"].contains("labels"));
  // Lists are replaced whole.
  o = apply_patch(deployment(), PatchType::kMerge,
                  R"({"spec": {"template": {"spec": {"containers": [{"name": "x"}]}}}})");
  EXPECT_EQ(o.document["spec"]["template"]["spec"]["containers"].size(), 1u);
  EXPECT_EQ(apply_patch(deployment(), PatchType::kMerge, "{nope").code, 400);
  EXPECT_EQ(apply_patch(deployment(), PatchType::kMerge, "[1]").code, 400);
}

TEST(Patch, JsonPatchFollowsRfc6902) {
  PatchOutcome o = apply_patch(deployment(), PatchType::kJson,
                               R"([{"op": "test", "path": "/spec/replicas", "value": 1},
                                   {"op": "replace", "path": "/spec/replicas", "value": 2},
                                   {"op": "add", "path": "/metadata/labels/tier", "value": "web"}])");
  ASSERT_EQ(o.code, 200) << o.error;
  EXPECT_EQ(o.document["spec"]["replicas"], 2);
  EXPECT_EQ(o.document["metadata"]["labels"]["tier"], "web");
  // A failed test or a missing path: 422; a malformed operation: 400.
  EXPECT_EQ(apply_patch(deployment(), PatchType::kJson,
                        R"([{"op": "test", "path": "/spec/replicas", "value": 5}])")
                .code,
            422);
  EXPECT_EQ(
      apply_patch(deployment(), PatchType::kJson, R"([{"op": "remove", "path": "/spec/nope"}])")
          .code,
      422);
  EXPECT_EQ(apply_patch(deployment(), PatchType::kJson, R"([{"op": "jump", "path": "/a"}])").code,
            400);
  EXPECT_EQ(apply_patch(deployment(), PatchType::kJson, R"({"op": "add"})").code, 400);
}

TEST(Patch, StrategicMergeOfKubectlRolloutRestart) {
  // Exactly what `kubectl rollout restart` sends.
  PatchOutcome o = apply_patch(
      deployment(), PatchType::kStrategic,
      R"({"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2025-06-01T10:00:00Z"}}}}})");
  ASSERT_EQ(o.code, 200) << o.error;
  EXPECT_EQ(o.document["spec"]["template"]["metadata"]["annotations"]
                      ["kubectl.kubernetes.io/restartedAt"],
            "2025-06-01T10:00:00Z");
  EXPECT_EQ(o.document["spec"]["template"]["metadata"]["labels"]["app"], "frontend");
  EXPECT_EQ(o.document["spec"]["template"]["spec"]["containers"].size(), 2u);
}

TEST(Patch, StrategicMergeMergesListsByKey) {
  json patch = json::parse(R"({
    "spec": {"template": {"spec": {
      "$setElementOrder/containers": [{"name": "frontend"}, {"name": "sidecar"}],
      "containers": [{"name": "frontend", "image": "shop:2",
                      "env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}],
                      "ports": [{"containerPort": 9465, "$patch": "delete"}],
                      "args": ["frontend", "--fast"]}]}}}})");
  json d = strategic_merge(deployment(), patch);
  const json& containers = d["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(containers.size(), 2u);
  EXPECT_EQ(containers[0]["image"], "shop:2");
  EXPECT_EQ(containers[1]["image"], "side:1");  // untouched
  ASSERT_EQ(containers[0]["env"].size(), 3u);
  EXPECT_EQ(containers[0]["env"][1]["value"], "3");
  EXPECT_EQ(containers[0]["env"][2]["name"], "C");
  ASSERT_EQ(containers[0]["ports"].size(), 1u);
  EXPECT_EQ(containers[0]["ports"][0]["name"], "http");
  EXPECT_EQ(containers[0]["args"].size(), 2u);  // a primitive list is replaced
  EXPECT_FALSE(d["spec"]["template"]["spec"].contains("$setElementOrder/containers"));
}

TEST(Patch, StrategicMergeDirectives) {
  json d = strategic_merge(deployment(), json::parse(R"({"spec": {"template": {"spec": {
      "containers": [{"name": "only"}, {"$patch": "replace"}]}}}})"));
  ASSERT_EQ(d["spec"]["template"]["spec"]["containers"].size(), 1u);
  EXPECT_EQ(d["spec"]["template"]["spec"]["containers"][0]["name"], "only");
  d = strategic_merge(deployment(), json::parse(R"({"metadata": {"labels": {"$patch": "replace",
                                                     "tier": "web"}}})"));
  EXPECT_EQ(d["metadata"]["labels"], json({{"tier", "web"}}));
  d = strategic_merge(deployment(), json::parse(R"({"metadata": {"labels": {"$patch": "delete"}},
      "spec": {"template": {"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}}}})"));
  EXPECT_FALSE(d["metadata"].contains("labels"));
  EXPECT_EQ(d["spec"]["template"]["spec"]["containers"].size(), 1u);
  d = strategic_merge(deployment(), json::parse(R"({"spec": {"template": {"spec": {"containers": [
      {"name": "frontend", "$deleteFromPrimitiveList/args": ["frontend"]}]}}}})"));
  EXPECT_TRUE(d["spec"]["template"]["spec"]["containers"][0]["args"].empty());
  // null removes a key, as in a merge patch.
  d = strategic_merge(deployment(), json::parse(R"({"spec": {"replicas": null}})"));
  EXPECT_FALSE(d["spec"].contains("replicas"));
}

TEST(Patch, NothingCrashesOnOddPatches) {
  const char* bodies[] = {
      "",
      "null",
      "1",
      "\"x\"",
      "[]",
      "{}",
      "[{}]",
      "[[]]",
      "{\"spec\": [1]}",
      "{\"spec\": {\"template\": 5}}",
      "{\"$patch\": \"delete\"}",
      "{\"$patch\": 7, \"spec\": {\"$patch\": [1]}}",
      "[{\"$patch\": false}]",
      "{\"spec\":{\"template\":{\"spec\":{\"containers\":[1,{\"name\":null}]}}}}"};
  for (const char* body : bodies) {
    for (PatchType t : {PatchType::kMerge, PatchType::kJson, PatchType::kStrategic}) {
      PatchOutcome o = apply_patch(deployment(), t, body);
      EXPECT_TRUE(o.code == 200 || o.code == 400 || o.code == 422) << body;
    }
  }
  // Nesting a merge would recurse through is refused before it is parsed; strings don't count.
  std::string deep = std::string(200000, '[') + std::string(200000, ']');
  std::string spec_deep = "{\"spec\":" + std::string(150, '{') + std::string(150, '}') + "}";
  for (PatchType t : {PatchType::kMerge, PatchType::kJson, PatchType::kStrategic}) {
    PatchOutcome o = apply_patch(deployment(), t, deep);
    EXPECT_EQ(o.code, 400);
    EXPECT_NE(o.error.find("nests deeper than 100 levels"), std::string::npos) << o.error;
    EXPECT_EQ(apply_patch(deployment(), t, spec_deep).code, 400);
  }
  std::string quoted = "{\"metadata\":{\"annotations\":{\"a\":\"" + std::string(300, '{') +
                       "\\\"\"}}}";  // braces and an escaped quote inside a string value
  PatchOutcome in_string = apply_patch(deployment(), PatchType::kMerge, quoted);
  EXPECT_EQ(in_string.code, 200) << in_string.error;
}

}  // namespace
}  // namespace stampede::local::kube
