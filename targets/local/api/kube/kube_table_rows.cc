// The row cells of each resource's table, ported from Kubernetes' printers (printPod,
// printDeployment, printReplicaSet, printService, printEndpoints, printHorizontalPodAutoscaler,
// printEvent, printNamespace, printSecret) over the objects' JSON.
#include <algorithm>

#include "targets/kubernetes/kube_time.h"
#include "targets/local/api/kube/kube_table.h"

namespace stampede::local::kube {

using nlohmann::json;

namespace {

const json& field(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string str(const json& v, const std::string& otherwise = "") {
  return v.is_string() ? v.get<std::string>() : otherwise;
}

int64_t num(const json& v) {
  return v.is_number_integer() ? v.get<int64_t>() : 0;
}

// metav1.FormatLabelSelector of a {matchLabels} selector; labels.FormatLabels of a map.
std::string format_labels(const json& labels, const char* none) {
  std::string out;
  if (labels.is_object()) {
    for (const auto& [k, v] : labels.items()) {
      out += (out.empty() ? "" : ",") + k + "=" + str(v);
    }
  }
  return out.empty() ? none : out;
}

// layoutContainerCells: names and images of the template's containers.
std::pair<std::string, std::string> containers_cells(const json& pod_spec) {
  std::string names, images;
  for (const json& c : field(pod_spec, "containers")) {
    names += (names.empty() ? "" : ",") + str(field(c, "name"));
    images += (images.empty() ? "" : ",") + str(field(c, "image"));
  }
  return {names, images};
}

json pod_cells(const json& pod, int64_t now_ms) {
  const json& status = field(pod, "status");
  int ready = 0;
  int total = static_cast<int>(field(field(pod, "spec"), "containers").size());
  for (const json& cs : field(status, "containerStatuses")) {
    if (field(cs, "ready") == true && field(field(cs, "state"), "running").is_object()) ++ready;
  }
  std::string ip = "<none>";
  const json& ips = field(status, "podIPs");
  if (ips.is_array() && !ips.empty()) ip = str(field(ips[0], "ip"), "<none>");
  std::string node = str(field(field(pod, "spec"), "nodeName"), "<none>");
  std::string nominated = str(field(status, "nominatedNodeName"), "<none>");
  return {str(field(field(pod, "metadata"), "name")),
          std::to_string(ready) + "/" + std::to_string(total),
          pod_status_text(pod),
          pod_restarts_text(pod, now_ms),
          age_since(field(field(pod, "metadata"), "creationTimestamp"), now_ms),
          ip,
          node,
          nominated,
          "<none>"};
}

std::string endpoints_text(const json& endpoints) {
  const json& subsets = field(endpoints, "subsets");
  if (!subsets.is_array() || subsets.empty()) return "<none>";
  std::vector<std::string> list;
  int count = 0;
  const int maximum = 3;
  for (const json& ss : subsets) {
    const json& addresses = field(ss, "addresses");
    for (const json& port : field(ss, "ports")) {
      count += static_cast<int>(addresses.size());
      for (const json& a : addresses) {
        if (static_cast<int>(list.size()) == maximum) break;
        list.push_back(str(field(a, "ip")) + ":" + std::to_string(num(field(port, "port"))));
      }
    }
  }
  std::string out;
  for (const std::string& s : list) out += (out.empty() ? "" : ",") + s;
  if (count > maximum) out += " + " + std::to_string(count - maximum) + " more...";
  return out.empty() ? "<none>" : out;
}

std::string hpa_targets(const json& hpa) {
  const json& metrics = field(field(hpa, "spec"), "metrics");
  if (!metrics.is_array() || metrics.empty()) return "<none>";
  const json& current = field(field(hpa, "status"), "currentMetrics");
  std::vector<std::string> list;
  for (size_t i = 0; i < metrics.size(); ++i) {
    const json& resource = field(metrics[i], "resource");
    std::string now = "<unknown>";
    if (current.is_array() && current.size() > i) {
      const json& u = field(field(field(current[i], "resource"), "current"), "averageUtilization");
      if (u.is_number()) now = std::to_string(num(u)) + "%";
    }
    const json& target = field(field(resource, "target"), "averageUtilization");
    std::string want = target.is_number() ? std::to_string(num(target)) + "%" : "<auto>";
    list.push_back(str(field(resource, "name")) + ": " + now + "/" + want);
  }
  std::string out;
  for (size_t i = 0; i < list.size() && i < 2; ++i) out += (i == 0 ? "" : ", ") + list[i];
  if (list.size() > 2) out += " + " + std::to_string(list.size() - 2) + " more...";
  return out;
}

json event_cells(const json& e, int64_t now_ms) {
  std::string first = age_since(field(e, "firstTimestamp"), now_ms);
  if (!field(e, "firstTimestamp").is_string()) first = age_since(field(e, "eventTime"), now_ms);
  std::string last =
      field(e, "lastTimestamp").is_string() ? age_since(field(e, "lastTimestamp"), now_ms) : first;
  const json& involved = field(e, "involvedObject");
  std::string kind = str(field(involved, "kind"));
  std::transform(kind.begin(), kind.end(), kind.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string name = str(field(involved, "name"));
  std::string component = str(field(field(e, "source"), "component"));
  if (component.empty()) component = str(field(e, "reportingComponent"));
  std::string host = str(field(field(e, "source"), "host"));
  if (host.empty()) host = str(field(e, "reportingInstance"));
  std::string message = str(field(e, "message"));
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) {
    message.pop_back();
  }
  int64_t count = num(field(e, "count"));
  return {last,
          str(field(e, "type")),
          str(field(e, "reason")),
          name.empty() ? kind : kind + "/" + name,
          str(field(involved, "fieldPath")),
          host.empty() ? component : component + ", " + host,
          message,
          first,
          count == 0 ? 1 : count,
          str(field(field(e, "metadata"), "name"))};
}

}  // namespace

std::string pod_status_text(const json& pod) {
  const json& status = field(pod, "status");
  std::string phase = str(field(status, "phase"));
  std::string reason = phase;
  if (!str(field(status, "reason")).empty()) reason = str(field(status, "reason"));
  bool has_running = false;
  const json& statuses = field(status, "containerStatuses");
  if (statuses.is_array()) {
    for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
      const json& state = field(*it, "state");
      const json& waiting = field(state, "waiting");
      const json& terminated = field(state, "terminated");
      if (!str(field(waiting, "reason")).empty()) {
        reason = str(field(waiting, "reason"));
      } else if (!str(field(terminated, "reason")).empty()) {
        reason = str(field(terminated, "reason"));
      } else if (terminated.is_object()) {
        int64_t signal = num(field(terminated, "signal"));
        reason = signal != 0 ? "Signal:" + std::to_string(signal)
                             : "ExitCode:" + std::to_string(num(field(terminated, "exitCode")));
      } else if (field(*it, "ready") == true && field(state, "running").is_object()) {
        has_running = true;
      }
    }
  }
  if (reason == "Completed" && has_running) {
    bool ready = false;
    for (const json& c : field(status, "conditions")) {
      if (field(c, "type") == "Ready" && field(c, "status") == "True") ready = true;
    }
    reason = ready ? "Running" : "NotReady";
  }
  bool terminal = phase == "Succeeded" || phase == "Failed";
  if (field(field(pod, "metadata"), "deletionTimestamp").is_string() && !terminal) {
    reason = "Terminating";
  }
  return reason;
}

std::string pod_restarts_text(const json& pod, int64_t now_ms) {
  int64_t restarts = 0;
  int64_t last_ms = 0;
  for (const json& cs : field(field(pod, "status"), "containerStatuses")) {
    restarts += num(field(cs, "restartCount"));
    const json& finished = field(field(field(cs, "lastState"), "terminated"), "finishedAt");
    if (finished.is_string()) {
      auto us = stampede::kube::parse_time_us(finished.get<std::string>());
      if (us.ok()) last_ms = std::max(last_ms, us.value() / 1000);
    }
  }
  if (restarts != 0 && last_ms != 0) {
    return std::to_string(restarts) + " (" + human_duration(now_ms - last_ms) + " ago)";
  }
  return std::to_string(restarts);
}

json table_cells(const ResourceInfo& r, const json& o, int64_t now_ms) {
  const json& meta = field(o, "metadata");
  const std::string name = str(field(meta, "name"));
  const std::string age = age_since(field(meta, "creationTimestamp"), now_ms);
  const json& spec = field(o, "spec");
  const json& status = field(o, "status");
  const std::string& n = r.name;
  if (n == "pods" && r.group.empty()) return pod_cells(o, now_ms);
  if (n == "deployments" || n == "replicasets") {
    auto [names, images] = containers_cells(field(field(spec, "template"), "spec"));
    std::string selector = format_labels(field(field(spec, "selector"), "matchLabels"), "");
    if (n == "deployments") {
      return {name,
              std::to_string(num(field(status, "readyReplicas"))) + "/" +
                  std::to_string(num(field(spec, "replicas"))),
              num(field(status, "updatedReplicas")),
              num(field(status, "availableReplicas")),
              age,
              names,
              images,
              selector};
    }
    return {name,
            num(field(spec, "replicas")),
            num(field(status, "replicas")),
            num(field(status, "readyReplicas")),
            age,
            names,
            images,
            selector};
  }
  if (n == "services") {
    std::string ports;
    for (const json& p : field(spec, "ports")) {
      ports += (ports.empty() ? "" : ",") + std::to_string(num(field(p, "port"))) + "/" +
               str(field(p, "protocol"), "TCP");
    }
    const json& ips = field(spec, "clusterIPs");
    return {name,
            str(field(spec, "type")),
            ips.is_array() && !ips.empty() ? str(ips[0], "<none>") : "<none>",
            "<none>",
            ports.empty() ? "<none>" : ports,
            age,
            format_labels(field(spec, "selector"), "<none>")};
  }
  if (n == "endpoints") return {name, endpoints_text(o), age};
  if (n == "endpointslices") {
    // formatDiscoveryPorts / formatDiscoveryEndpoints: at most three, then "+ N more...".
    auto list = [](std::vector<std::string> items) {
      std::string out;
      for (size_t i = 0; i < items.size() && i < 3; ++i) out += (i == 0 ? "" : ",") + items[i];
      if (items.size() > 3) out += " + " + std::to_string(items.size() - 3) + " more...";
      return out.empty() ? std::string("<unset>") : out;
    };
    std::vector<std::string> ports, addresses;
    for (const json& p : field(o, "ports")) ports.push_back(std::to_string(num(field(p, "port"))));
    for (const json& e : field(o, "endpoints")) {
      for (const json& a : field(e, "addresses")) addresses.push_back(str(a));
    }
    return {name, str(field(o, "addressType")), list(ports), list(addresses), age};
  }
  if (n == "horizontalpodautoscalers") {
    const json& ref = field(spec, "scaleTargetRef");
    const json& min = field(spec, "minReplicas");
    return {name,
            str(field(ref, "kind")) + "/" + str(field(ref, "name")),
            hpa_targets(o),
            min.is_number() ? std::to_string(num(min)) : "<unset>",
            num(field(spec, "maxReplicas")),
            num(field(status, "currentReplicas")),
            age};
  }
  if (n == "events") return event_cells(o, now_ms);
  if (n == "namespaces") return {name, str(field(status, "phase")), age};
  if (n == "secrets") {
    const json& data = field(o, "data");
    return {name, str(field(o, "type")), static_cast<int64_t>(data.is_object() ? data.size() : 0),
            age};
  }
  return {name, field(meta, "creationTimestamp")};
}

}  // namespace stampede::local::kube
