// The Kubernetes RBAC rules a chaos plan needs from the credentials it runs with: what the
// Kubernetes adapter always reads (preflight, the 1 s samples, the watches) plus the verbs of
// the plan's actions and validations. `stampede rbac SCRIPT` prints them as a namespaced Role;
// `stampede run --dry-run` lists them. The chart's chaos-runner Role
// (charts/shop-reference/templates/chaos-runner-role.yaml) grants the union of every plan's.
// Pure functions.
#pragma once

#include <string>
#include <vector>

#include "engine/chaos/chaos_plan.h"

namespace stampede {

struct RbacRule {
  std::string api_group;  // "" for the core group
  std::vector<std::string> resources;
  std::vector<std::string> verbs;           // sorted
  std::vector<std::string> resource_names;  // empty: any
  std::string why;                          // what needs it, for a comment
};

struct RbacOptions {
  // The Secret holding the shop's admin token (fault knobs); "" when the token comes from the
  // environment (STAMPEDE_ADMIN_TOKEN) and no Secret is read.
  std::string admin_token_secret = "admin-token";
};

// The rules, merged per (group, resources, names), in a stable order.
std::vector<RbacRule> rbac_rules(const ChaosPlan& plan, const RbacOptions& options);
// The plan's actions that no RBAC rule makes possible on a cluster (they need the local
// runtime's extensions): one line each, "pod-pause#1: pausing a container ...".
std::vector<std::string> local_only_actions(const ChaosPlan& plan);
// A Role (rbac.authorization.k8s.io/v1) named `name` in `ns` granting `rules`, as YAML, with a
// comment per rule.
std::string render_role_yaml(const std::vector<RbacRule>& rules, const std::string& name,
                             const std::string& ns);

}  // namespace stampede
