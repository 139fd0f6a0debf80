#include "engine/chaos/rbac_rules.h"

#include <gtest/gtest.h>

#include "engine/chaos/chaos_test_util.h"

namespace stampede {
namespace {

using chaos_test::action;

std::string rule_text(const RbacRule& r) {
  std::string out = r.api_group + "/";
  for (const std::string& x : r.resources) out += x;
  for (const std::string& n : r.resource_names) out += "(" + n + ")";
  out += ":";
  for (const std::string& v : r.verbs) out += " " + v;
  return out;
}

std::vector<std::string> texts(const std::vector<RbacRule>& rules) {
  std::vector<std::string> out;
  for (const RbacRule& r : rules) out.push_back(rule_text(r));
  return out;
}

TEST(RbacRules, ReadingOnlyWithoutActions) {
  ChaosPlan plan;
  Expectation e;
  e.kind = ExpectKind::kAutoscaling;
  plan.expectations.push_back(e);
  EXPECT_EQ(texts(rbac_rules(plan, {})),
            (std::vector<std::string>{"/pods: get list watch", "/events: list watch",
                                      "/services: list", "apps/deployments: get list watch",
                                      "autoscaling/horizontalpodautoscalers: list watch",
                                      "metrics.k8s.io/pods: list"}));
}

TEST(RbacRules, EachActionAddsItsVerbs) {
  ChaosPlan plan;
  plan.actions.push_back(action(ActionKind::kPodKill, "frontend", 1));
  plan.actions.push_back(action(ActionKind::kPodTerminate, "cart", 2));
  plan.actions.push_back(action(ActionKind::kScale, "cart", 3, 1));
  plan.actions.push_back(action(ActionKind::kRolloutRestart, "frontend", 4));
  plan.actions.push_back(action(ActionKind::kFault, "payment", 5, 1));
  Expectation breaker;
  breaker.kind = ExpectKind::kCircuitBreaker;
  plan.expectations.push_back(breaker);
  RbacOptions options;
  options.admin_token_secret = "shop-admin-token";
  std::vector<RbacRule> rules = rbac_rules(plan, options);
  EXPECT_EQ(texts(rules),
            (std::vector<std::string>{"/pods: delete get list watch", "/events: list watch",
                                      "/services: list", "apps/deployments: get list patch watch",
                                      "autoscaling/horizontalpodautoscalers: list watch",
                                      "metrics.k8s.io/pods: list", "apps/deployments/scale: patch",
                                      "/pods/proxy: delete get update",
                                      "/secrets(shop-admin-token): get"}));
  EXPECT_NE(rules[0].why.find("pod-kill"), std::string::npos) << rules[0].why;
  EXPECT_NE(rules[0].why.find("pod-terminate"), std::string::npos) << rules[0].why;
  // With the token from the environment no Secret is read.
  options.admin_token_secret.clear();
  for (const RbacRule& r : rbac_rules(plan, options)) EXPECT_NE(r.resources[0], "secrets");
}

TEST(RbacRules, PauseAndProxyFaultsAreLocalOnly) {
  ChaosPlan plan;
  plan.actions.push_back(action(ActionKind::kPodPause, "cart", 1, 1, "pod-pause#1"));
  plan.actions.push_back(action(ActionKind::kProxyFault, "cart", 3, 1, "proxy-fault#1"));
  plan.actions.push_back(action(ActionKind::kPodKill, "cart", 5));
  std::vector<std::string> local = local_only_actions(plan);
  ASSERT_EQ(local.size(), 2u);
  EXPECT_EQ(local[0].rfind("pod-pause#1: pausing a container", 0), 0u) << local[0];
  EXPECT_NE(local[1].find("service mesh"), std::string::npos) << local[1];
}

TEST(RbacRules, RendersARole) {
  ChaosPlan plan;
  plan.actions.push_back(action(ActionKind::kFault, "payment", 5, 1));
  std::string yaml = render_role_yaml(rbac_rules(plan, {}), "chaos-runner", "shop");
  EXPECT_EQ(yaml.rfind("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n"
                       "  name: chaos-runner\n  namespace: shop\nrules:\n",
                       0),
            0u)
      << yaml;
  EXPECT_NE(yaml.find("  - apiGroups: [\"\"]\n    resources: [secrets]\n"
                      "    resourceNames: [\"admin-token\"]\n    verbs: [get]\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("  - apiGroups: [\"metrics.k8s.io\"]\n    resources: [pods]\n"
                      "    verbs: [list]\n"),
            std::string::npos)
      << yaml;
}

}  // namespace
}  // namespace stampede
