#include "targets/local/api/kube/render_service.h"

#include <set>

#include "targets/local/api/api_views.h"

namespace stampede::local::kube {

using nlohmann::json;

namespace {

json service_labels(const std::string& name) {
  return {{"app", name}, {"app.kubernetes.io/component", name}};
}

}  // namespace

json render_service(const RenderContext& ctx, const Runtime& rt, const Deployment& d) {
  ServiceProxy* proxy = rt.proxy(d.name());
  if (proxy == nullptr || !d.spec().service) return nullptr;
  const std::string& target = d.spec().service->target_port;
  json meta = ctx.metadata("Service", d.name(), ctx.started_ns);
  meta["labels"] = service_labels(d.name());
  json fault = fault_json(proxy->fault());
  if (!fault.is_null()) meta["annotations"] = {{"local.stampede.dev/fault", fault.dump()}};
  json spec = {{"type", "ClusterIP"},
               {"clusterIP", kLocalIp},
               {"clusterIPs", json::array({kLocalIp})},
               {"ipFamilies", json::array({"IPv4"})},
               {"ipFamilyPolicy", "SingleStack"},
               {"internalTrafficPolicy", "Cluster"},
               {"sessionAffinity", "None"},
               {"selector", {{"app", d.name()}}},
               {"ports", json::array({{{"name", target},
                                       {"port", proxy->port()},
                                       {"targetPort", target},
                                       {"protocol", "TCP"}}})}};
  return {{"kind", "Service"},
          {"apiVersion", "v1"},
          {"metadata", meta},
          {"spec", spec},
          {"status", {{"loadBalancer", json::object()}}}};
}

json render_endpoints(const RenderContext& ctx, const Runtime& rt, const Deployment& d) {
  if (rt.proxy(d.name()) == nullptr || !d.spec().service) return nullptr;
  const std::string& target = d.spec().service->target_port;
  // Ready means: in the Service now (what the proxy balances over).
  std::set<std::string> ready;
  for (const Endpoint& e : rt.service_endpoints(d.name())) ready.insert(e.pod);
  std::map<std::string, json> subsets;  // by pod name: a stable order
  for (const auto& pod : d.pods()) {
    if (pod->deleting()) continue;  // terminating pods leave the Endpoints, as in Kubernetes
    auto port = pod->ports().find(target);
    if (port == pod->ports().end() || port->second == 0) continue;
    json address = {{"ip", kLocalIp},
                    {"nodeName", kNodeName},
                    {"targetRef",
                     {{"kind", "Pod"},
                      {"namespace", kNamespace},
                      {"name", pod->name()},
                      {"uid", ctx.uid("Pod", pod->name())}}}};
    json subset = {
        {"ports", json::array({{{"name", target}, {"port", port->second}, {"protocol", "TCP"}}})}};
    subset[ready.count(pod->name()) != 0 ? "addresses" : "notReadyAddresses"] =
        json::array({address});
    subsets[pod->name()] = subset;
  }
  json meta = ctx.metadata("Endpoints", d.name(), ctx.started_ns);
  meta["labels"] = service_labels(d.name());
  json out = {{"kind", "Endpoints"}, {"apiVersion", "v1"}, {"metadata", meta}};
  if (!subsets.empty()) {
    json list = json::array();
    for (auto& [name, subset] : subsets) list.push_back(std::move(subset));
    out["subsets"] = list;
  }
  return out;
}

std::vector<json> render_endpoint_slices(const RenderContext& ctx, const Runtime& rt,
                                         const Deployment& d) {
  std::vector<json> out;
  if (rt.proxy(d.name()) == nullptr || !d.spec().service) return out;
  const std::string& target = d.spec().service->target_port;
  std::set<std::string> ready;
  for (const Endpoint& e : rt.service_endpoints(d.name())) ready.insert(e.pod);
  for (const auto& pod : d.pods()) {
    auto port = pod->ports().find(target);
    if (port == pod->ports().end() || port->second == 0) continue;
    const std::string& pod_name = pod->name();
    // Named like the controller's: the Service and a suffix (the pod's own).
    std::string name = d.name() + "-" + pod_name.substr(pod_name.rfind('-') + 1);
    json meta = ctx.metadata("EndpointSlice", name, pod->created_ns());
    meta["labels"] = {
        {"kubernetes.io/service-name", d.name()},
        {"endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io"}};
    meta["ownerReferences"] = json::array({{{"apiVersion", "v1"},
                                            {"kind", "Service"},
                                            {"name", d.name()},
                                            {"uid", ctx.uid("Service", d.name())},
                                            {"controller", true},
                                            {"blockOwnerDeletion", true}}});
    bool is_ready = ready.count(pod_name) != 0;
    json endpoint = {
        {"addresses", json::array({kLocalIp})},
        {"conditions",
         {{"ready", is_ready}, {"serving", is_ready}, {"terminating", pod->deleting()}}},
        {"targetRef",
         {{"kind", "Pod"},
          {"namespace", kNamespace},
          {"name", pod_name},
          {"uid", ctx.uid("Pod", pod_name)}}},
        {"nodeName", kNodeName}};
    out.push_back(
        {{"kind", "EndpointSlice"},
         {"apiVersion", "discovery.k8s.io/v1"},
         {"metadata", meta},
         {"addressType", "IPv4"},
         {"endpoints", json::array({endpoint})},
         {"ports",
          json::array({{{"name", target}, {"port", port->second}, {"protocol", "TCP"}}})}});
  }
  return out;
}

}  // namespace stampede::local::kube
