#include "engine/chaos/rbac_rules.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace stampede {
namespace {

using Key = std::tuple<std::string, std::vector<std::string>, std::vector<std::string>>;

struct Builder {
  std::vector<Key> order;
  std::map<Key, RbacRule> rules;

  void add(const std::string& group, std::vector<std::string> resources,
           std::vector<std::string> verbs, const std::string& why,
           std::vector<std::string> names = {}) {
    Key key{group, resources, names};
    auto it = rules.find(key);
    if (it == rules.end()) {
      order.push_back(key);
      it = rules.emplace(key, RbacRule{group, resources, {}, names, ""}).first;
    }
    RbacRule& r = it->second;
    for (std::string& v : verbs) {
      if (std::find(r.verbs.begin(), r.verbs.end(), v) == r.verbs.end()) r.verbs.push_back(v);
    }
    std::sort(r.verbs.begin(), r.verbs.end());
    if (r.why.find(why) == std::string::npos) r.why += (r.why.empty() ? "" : "; ") + why;
  }
};

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + ("\"" + items[i] + "\"");
  return out + "]";
}

}  // namespace

std::vector<RbacRule> rbac_rules(const ChaosPlan& plan, const RbacOptions& options) {
  Builder b;
  // What every run with a platform reads: preflight, the 1 s samples, the watches.
  b.add("", {"pods"}, {"get", "list", "watch"}, "targets, samples and the pod watch");
  b.add("", {"events"}, {"list", "watch"}, "the event watch");
  b.add("", {"services"}, {"list"}, "the Service in front of each deployment");
  b.add("apps", {"deployments"}, {"get", "list", "watch"}, "targets, samples and the watch");
  b.add("autoscaling", {"horizontalpodautoscalers"}, {"list", "watch"}, "HPA samples and watch");
  b.add("metrics.k8s.io", {"pods"}, {"list"}, "pod CPU (metrics-server)");
  for (const ChaosAction& a : plan.actions) {
    std::string who = std::string(action_kind_name(a.kind));
    switch (a.kind) {
      case ActionKind::kPodKill:
      case ActionKind::kPodTerminate:
        b.add("", {"pods"}, {"delete"}, who);
        break;
      case ActionKind::kScale:
      case ActionKind::kDependencyDown:
        b.add("apps", {"deployments/scale"}, {"patch"}, who);
        break;
      case ActionKind::kRolloutRestart:
        b.add("apps", {"deployments"}, {"patch"}, who + " (the restartedAt annotation)");
        break;
      case ActionKind::kFault:
        b.add("", {"pods/proxy"}, {"delete", "get", "update"}, who + " (the shop's /admin/faults)");
        if (!options.admin_token_secret.empty()) {
          b.add("", {"secrets"}, {"get"}, who + " (the shop's admin token)",
                {options.admin_token_secret});
        }
        break;
      case ActionKind::kPodPause:
      case ActionKind::kProxyFault:
        break;  // local runtime only: local_only_actions()
    }
  }
  for (const Expectation& e : plan.expectations) {
    if (e.kind == ExpectKind::kCircuitBreaker) {
      b.add("", {"pods/proxy"}, {"get"}, "circuit-breaker (the callers' /metrics)");
    }
  }
  std::vector<RbacRule> out;
  for (const Key& k : b.order) out.push_back(b.rules[k]);
  return out;
}

std::vector<std::string> local_only_actions(const ChaosPlan& plan) {
  std::vector<std::string> out;
  for (const ChaosAction& a : plan.actions) {
    if (a.kind == ActionKind::kPodPause) {
      out.push_back(a.id +
                    ": pausing a container is a local runtime extension; a cluster has no API "
                    "for it (use a fault with hang = true, or Chaos Mesh's PodChaos)");
    } else if (a.kind == ActionKind::kProxyFault) {
      out.push_back(a.id +
                    ": a network fault in a Service's proxy is a local runtime extension; on a "
                    "cluster use a service mesh's fault injection (Istio, Linkerd) or Chaos "
                    "Mesh's NetworkChaos");
    }
  }
  return out;
}

std::string render_role_yaml(const std::vector<RbacRule>& rules, const std::string& name,
                             const std::string& ns) {
  std::string out =
      "apiVersion: rbac.authorization.k8s.io/v1\n"
      "kind: Role\n"
      "metadata:\n"
      "  name: " +
      name + "\n  namespace: " + ns + "\nrules:\n";
  for (const RbacRule& r : rules) {
    out += "  # " + r.why + "\n";
    out += "  - apiGroups: [\"" + r.api_group + "\"]\n";
    out += "    resources: " + list(r.resources) + "\n";
    if (!r.resource_names.empty())
      out += "    resourceNames: " + quoted_list(r.resource_names) + "\n";
    out += "    verbs: " + list(r.verbs) + "\n";
  }
  return out;
}

}  // namespace stampede
