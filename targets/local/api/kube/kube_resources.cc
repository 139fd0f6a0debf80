#include "targets/local/api/kube/kube_resources.h"

#include <algorithm>

namespace stampede::local::kube {
namespace {

const std::vector<ResourceInfo>& catalog() {
  static const std::vector<ResourceInfo> kCatalog = [] {
    std::vector<ResourceInfo> r;
    auto add = [&r](ResourceInfo info) { r.push_back(std::move(info)); };
    const std::vector<std::string> read = {"get", "list", "watch"};
    // core/v1
    add({"",
         "v1",
         "pods",
         "pod",
         "Pod",
         true,
         {"delete", "get", "list", "watch"},
         {"po"},
         {"all"},
         "",
         "",
         {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
          "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"}});
    add({"", "v1", "pods/log", "", "Pod", true, {"get"}, {}, {}, "", "", {}});
    add({"",
         "v1",
         "pods/proxy",
         "",
         "PodProxyOptions",
         true,
         {"create", "delete", "get", "patch", "update"},
         {},
         {},
         "",
         "",
         {}});
    add({"", "v1", "services", "service", "Service", true, read, {"svc"}, {"all"}, "", "", {}});
    add({"", "v1", "endpoints", "endpoints", "Endpoints", true, read, {"ep"}, {}, "", "", {}});
    add({"",
         "v1",
         "events",
         "event",
         "Event",
         true,
         read,
         {"ev"},
         {},
         "",
         "",
         {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
          "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
          "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"}});
    add({"", "v1", "secrets", "secret", "Secret", true, {"get", "list"}, {}, {}, "", "", {"type"}});
    add({"",
         "v1",
         "namespaces",
         "namespace",
         "Namespace",
         false,
         read,
         {"ns"},
         {},
         "",
         "",
         {"status.phase"}});
    // apps/v1
    add({"apps",
         "v1",
         "deployments",
         "deployment",
         "Deployment",
         true,
         {"get", "list", "patch", "update", "watch"},
         {"deploy"},
         {"all"},
         "",
         "",
         {}});
    add({"apps",
         "v1",
         "deployments/scale",
         "",
         "Scale",
         true,
         {"get", "patch", "update"},
         {},
         {},
         "autoscaling",
         "v1",
         {}});
    add({"apps", "v1", "deployments/status", "", "Deployment", true, {"get"}, {}, {}, "", "", {}});
    add({"apps",
         "v1",
         "replicasets",
         "replicaset",
         "ReplicaSet",
         true,
         read,
         {"rs"},
         {"all"},
         "",
         "",
         {"status.replicas"}});
    // discovery.k8s.io/v1 (what `kubectl describe service` lists)
    add({"discovery.k8s.io",
         "v1",
         "endpointslices",
         "endpointslice",
         "EndpointSlice",
         true,
         read,
         {},
         {},
         "",
         "",
         {}});
    // autoscaling/v2
    add({"autoscaling",
         "v2",
         "horizontalpodautoscalers",
         "horizontalpodautoscaler",
         "HorizontalPodAutoscaler",
         true,
         read,
         {"hpa"},
         {"all"},
         "",
         "",
         {}});
    // metrics.k8s.io/v1beta1 (metrics-server)
    add({"metrics.k8s.io",
         "v1beta1",
         "pods",
         "",
         "PodMetrics",
         true,
         {"get", "list"},
         {},
         {},
         "",
         "",
         {}});
    // local.stampede.dev/v1: what only the local runtime can do.
    add({kExtensionGroup, "v1", "pods/pause", "", "Pod", true, {"create"}, {}, {}, "", "", {}});
    add({kExtensionGroup, "v1", "pods/resume", "", "Pod", true, {"create"}, {}, {}, "", "", {}});
    add({kExtensionGroup,
         "v1",
         "services/fault",
         "",
         "ServiceFault",
         true,
         {"get", "update", "delete"},
         {},
         {},
         "",
         "",
         {}});
    return r;
  }();
  return kCatalog;
}

}  // namespace

bool ResourceInfo::allows(std::string_view verb) const {
  return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

std::string ResourceInfo::qualified() const {
  std::string base = name.substr(0, name.find('/'));
  return group.empty() ? base : base + "." + group;
}

std::string ResourceInfo::group_version() const {
  return group.empty() ? version : group + "/" + version;
}

std::vector<const ResourceInfo*> all_resources(bool extensions) {
  std::vector<const ResourceInfo*> out;
  for (const ResourceInfo& r : catalog()) {
    if (r.group == kExtensionGroup && !extensions) continue;
    out.push_back(&r);
  }
  return out;
}

const ResourceInfo* find_resource(const std::string& group, const std::string& version,
                                  const std::string& name, bool extensions) {
  for (const ResourceInfo* r : all_resources(extensions)) {
    if (r->group == group && r->version == version && r->name == name) return r;
  }
  return nullptr;
}

std::string list_kind(const ResourceInfo& resource) {
  return resource.kind + "List";
}

std::string store_key(const ResourceInfo& resource) {
  if (resource.group == "metrics.k8s.io") return "podmetrics";
  return resource.name.substr(0, resource.name.find('/'));
}

const std::vector<std::string>& selectable_fields() {
  static const std::vector<std::string> kFields = [] {
    std::vector<std::string> all = {"metadata.name", "metadata.namespace"};
    for (const ResourceInfo& r : catalog()) {
      for (const std::string& f : r.fields) {
        if (std::find(all.begin(), all.end(), f) == all.end()) all.push_back(f);
      }
    }
    return all;
  }();
  return kFields;
}

bool supports_field(const ResourceInfo& resource, const std::string& field) {
  if (field == "metadata.name" || field == "metadata.namespace") return true;
  return std::find(resource.fields.begin(), resource.fields.end(), field) != resource.fields.end();
}

}  // namespace stampede::local::kube
