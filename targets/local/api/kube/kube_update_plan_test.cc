#include "targets/local/api/kube/kube_update_plan.h"

#include <gtest/gtest.h>

namespace stampede::local::kube {
namespace {

using nlohmann::json;

json deployment() {
  return json::parse(R"({
    "kind": "Deployment", "apiVersion": "apps/v1",
    "metadata": {"name": "frontend", "namespace": "default", "resourceVersion": "7",
                 "generation": 1, "uid": "u"},
    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "frontend"}},
             "template": {"metadata": {"labels": {"app": "frontend"}},
                          "spec": {"containers": [{"name": "frontend", "image": "shop:1",
                                                   "resources": {}}]}}},
    "status": {"replicas": 1}})");
}

TEST(UpdatePlan, ReplicasAndTemplateAnnotations) {
  json d = deployment();
  d["spec"]["replicas"] = 3;
  d["spec"]["template"]["metadata"]["annotations"] = {
      {"kubectl.kubernetes.io/restartedAt", "2026-01-01T00:00:00Z"}};
  d["status"] = {{"replicas", 99}};                // the status is not the client's
  d["metadata"]["managedFields"] = json::array();  // nor are the server's fields
  d["metadata"]["generation"] = 5;
  UpdatePlan plan = plan_deployment_update(deployment(), d);
  ASSERT_TRUE(plan.ok()) << plan.error.message;
  EXPECT_EQ(plan.replicas, 3);
  ASSERT_TRUE(plan.template_annotations.has_value());
  EXPECT_EQ(plan.template_annotations->at("kubectl.kubernetes.io/restartedAt"),
            "2026-01-01T00:00:00Z");
  // The same object: nothing to do. Nulls and empty maps count as absent (typed clients).
  json same = deployment();
  same["spec"]["template"]["metadata"]["creationTimestamp"] = nullptr;
  same["spec"]["template"]["spec"]["containers"][0].erase("resources");
  UpdatePlan nothing = plan_deployment_update(deployment(), same);
  ASSERT_TRUE(nothing.ok()) << nothing.error.message;
  EXPECT_FALSE(nothing.replicas.has_value());
  EXPECT_FALSE(nothing.template_annotations.has_value());
  // No replicas: Kubernetes' default, 1.
  json defaulted = deployment();
  defaulted["spec"]["replicas"] = 2;
  json removed = deployment();
  removed["spec"].erase("replicas");
  EXPECT_EQ(plan_deployment_update(defaulted, removed).replicas, 1);
}

TEST(UpdatePlan, TypeErrorsInTheApiServersWords) {
  json d = deployment();
  d["spec"]["replicas"] = "three";
  UpdatePlan plan = plan_deployment_update(deployment(), d);
  EXPECT_EQ(plan.error.code, 422);
  EXPECT_EQ(plan.error.reason, "Invalid");
  EXPECT_EQ(plan.error.message,
            "Deployment.apps \"frontend\" is invalid: spec.replicas: Invalid value: \"three\": "
            "spec.replicas in body must be of type integer: \"string\"");
  ASSERT_EQ(plan.error.causes.size(), 1u);
  EXPECT_EQ(plan.error.causes[0].field, "spec.replicas");
  EXPECT_EQ(plan.error.kind, "Deployment");
  EXPECT_EQ(plan.error.group, "apps");
  d["spec"]["replicas"] = 2.5;
  EXPECT_NE(plan_deployment_update(deployment(), d).error.message.find("\"number\""),
            std::string::npos);
  d["spec"]["replicas"] = -1;
  EXPECT_EQ(plan_deployment_update(deployment(), d).error.message,
            "Deployment.apps \"frontend\" is invalid: spec.replicas: Invalid value: -1: must be "
            "greater than or equal to 0");
  d["spec"]["replicas"] = 100000;
  EXPECT_EQ(plan_deployment_update(deployment(), d).error.code, 422);
  d = deployment();
  d["spec"]["template"]["metadata"]["annotations"] = {{"a", 1}};
  EXPECT_NE(plan_deployment_update(deployment(), d)
                .error.message.find(
                    "spec.template.metadata.annotations.a in body must be of type string"),
            std::string::npos);
}

TEST(UpdatePlan, WhatTheRuntimeCannotDoIsRefusedByField) {
  json d = deployment();
  d["spec"]["template"]["spec"]["containers"][0]["image"] = "shop:2";
  UpdatePlan plan = plan_deployment_update(deployment(), d);
  EXPECT_EQ(plan.error.code, 422);
  ASSERT_EQ(plan.error.causes.size(), 1u);
  EXPECT_EQ(plan.error.causes[0].field, "spec.template.spec.containers[0].image");
  EXPECT_EQ(plan.error.causes[0].reason, "FieldValueForbidden");
  EXPECT_NE(plan.error.message.find("change services.frontend in the values"), std::string::npos);
  d = deployment();
  d["spec"]["paused"] = true;
  EXPECT_EQ(plan_deployment_update(deployment(), d).error.causes[0].field, "spec.paused");
  d = deployment();
  d["metadata"]["labels"] = {{"x", "y"}};
  EXPECT_EQ(plan_deployment_update(deployment(), d).error.causes[0].field, "metadata.labels");
  d = deployment();
  d["spec"]["selector"]["matchLabels"]["app"] = "other";
  EXPECT_EQ(plan_deployment_update(deployment(), d).error.causes[0].field,
            "spec.selector.matchLabels.app");
}

TEST(UpdatePlan, VersionsAndNames) {
  json d = deployment();
  d["metadata"]["resourceVersion"] = "6";
  UpdatePlan stale = plan_deployment_update(deployment(), d);
  EXPECT_EQ(stale.error.code, 409);
  EXPECT_EQ(stale.error.reason, "Conflict");
  d["metadata"].erase("resourceVersion");  // an unconditional update
  EXPECT_TRUE(plan_deployment_update(deployment(), d).ok());
  d["metadata"]["name"] = "other";
  EXPECT_EQ(plan_deployment_update(deployment(), d).error.code, 400);
  EXPECT_EQ(plan_deployment_update(deployment(), json::array()).error.code, 400);
}

TEST(UpdatePlan, Scale) {
  json scale = {{"kind", "Scale"},
                {"metadata", {{"name", "frontend"}, {"resourceVersion", "7"}}},
                {"spec", {{"replicas", 1}}},
                {"status", {{"replicas", 1}, {"selector", "app=frontend"}}}};
  json want = scale;
  want["spec"]["replicas"] = 4;
  want["status"]["replicas"] = 0;  // ignored
  EXPECT_EQ(plan_scale_update(scale, want).replicas, 4);
  want["spec"]["replicas"] = "x";
  UpdatePlan bad = plan_scale_update(scale, want);
  EXPECT_EQ(bad.error.code, 422);
  EXPECT_EQ(bad.error.message.rfind("Scale.autoscaling \"frontend\" is invalid: spec.replicas", 0),
            0u);
  want = scale;
  want["metadata"]["resourceVersion"] = "1";
  EXPECT_EQ(plan_scale_update(scale, want).error.code, 409);
}

TEST(UpdatePlan, FirstDifference) {
  json a = {{"a", {{"b", json::array({1, 2})}}}, {"c", nullptr}, {"d", json::object()}};
  json b = {{"a", {{"b", json::array({1, 3})}}}};
  EXPECT_EQ(first_difference(a, b, {}), "a.b[1]");
  EXPECT_EQ(first_difference(a, b, {"a.b"}), "");
  EXPECT_EQ(first_difference(a, a, {}), "");
}

}  // namespace
}  // namespace stampede::local::kube
