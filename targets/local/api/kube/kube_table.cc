#include "targets/local/api/kube/kube_table.h"

#include "targets/kubernetes/kube_time.h"

namespace stampede::local::kube {

using nlohmann::json;

namespace {

const char* kNameDoc =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const char* kAgeDoc =
    "CreationTimestamp is a timestamp representing the server time when this object was created. "
    "It is not guaranteed to be set in happens-before order across separate operations. Clients "
    "may not set this value. It is represented in RFC3339 form and is in UTC.";

json column(const char* name, const char* type, const char* description, int priority = 0,
            const char* format = "") {
  return {{"name", name},
          {"type", type},
          {"format", format},
          {"description", description},
          {"priority", priority}};
}

json name_column() {
  return column("Name", "string", kNameDoc, 0, "name");
}
json age_column() {
  return column("Age", "string", kAgeDoc);
}
json wide(const char* name, const char* description) {
  return column(name, "string", description, 1);
}

}  // namespace

std::string human_duration(int64_t ms) {
  int64_t seconds = ms / 1000;
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return std::to_string(seconds) + "s";
  int64_t minutes = seconds / 60;
  if (minutes < 10) {
    int64_t s = seconds % 60;
    return std::to_string(minutes) + "m" + (s == 0 ? "" : std::to_string(s) + "s");
  }
  if (minutes < 60 * 3) return std::to_string(minutes) + "m";
  int64_t hours = minutes / 60;
  if (hours < 8) {
    int64_t m = minutes % 60;
    return std::to_string(hours) + "h" + (m == 0 ? "" : std::to_string(m) + "m");
  }
  if (hours < 48) return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    int64_t h = hours % 24;
    return std::to_string(hours / 24) + "d" + (h == 0 ? "" : std::to_string(h) + "h");
  }
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    int64_t d = hours / 24 % 365;
    return std::to_string(hours / 24 / 365) + "y" + (d == 0 ? "" : std::to_string(d) + "d");
  }
  return std::to_string(hours / 24 / 365) + "y";
}

std::string age_since(const json& timestamp, int64_t now_ms) {
  if (!timestamp.is_string()) return "<unknown>";
  auto us = stampede::kube::parse_time_us(timestamp.get<std::string>());
  if (!us.ok()) return "<unknown>";
  return human_duration(now_ms - us.value() / 1000);
}

json table_columns(const ResourceInfo& r) {
  const std::string& n = r.name;
  if (r.group == "" && n == "pods") {
    return {
        name_column(),
        column("Ready", "string",
               "The aggregate readiness state of this pod for accepting traffic."),
        column("Status", "string", "The aggregate status of the containers in this pod."),
        column("Restarts", "string",
               "The number of times the containers in this pod have been restarted and when "
               "the last container in this pod has restarted."),
        age_column(),
        wide("IP", "podIP address allocated to the pod. Routable at least within the cluster."),
        wide("Node", "NodeName indicates in which node this pod is scheduled."),
        wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods."),
        wide("Readiness Gates",
             "If specified, all readiness gates will be evaluated for pod readiness.")};
  }
  if (n == "deployments") {
    return {name_column(),
            column("Ready", "string", "Number of the pod with ready state"),
            column("Up-to-date", "string",
                   "Total number of non-terminated pods targeted by this deployment that have the "
                   "desired template spec."),
            column("Available", "string",
                   "Total number of available pods (ready for at least minReadySeconds) targeted "
                   "by this deployment."),
            age_column(),
            wide("Containers", "Names of each container in the template."),
            wide("Images", "Images referenced by each container in the template."),
            wide("Selector", "Label selector for pods.")};
  }
  if (n == "replicasets") {
    return {
        name_column(),
        column("Desired", "integer", "Replicas is the number of desired replicas."),
        column("Current", "integer", "Replicas is the most recently observed number of replicas."),
        column("Ready", "integer",
               "readyReplicas is the number of pods targeted by this ReplicaSet with a Ready "
               "Condition."),
        age_column(),
        wide("Containers", "Names of each container in the template."),
        wide("Images", "Images referenced by each container in the template."),
        wide("Selector",
             "Selector is a label query over pods that should match the replica count.")};
  }
  if (n == "services") {
    return {
        name_column(),
        column("Type", "string", "type determines how the Service is exposed."),
        column("Cluster-IP", "string", "clusterIP is the IP address of the service."),
        column("External-IP", "string",
               "externalIPs is a list of IP addresses for which nodes in the cluster will also "
               "accept traffic for this service."),
        column("Port(s)", "string", "The list of ports that are exposed by this service."),
        age_column(),
        wide("Selector",
             "Route service traffic to pods with label keys and values matching this selector.")};
  }
  if (n == "endpoints") {
    return {name_column(),
            column("Endpoints", "string", "The set of all endpoints is the union of all subsets."),
            age_column()};
  }
  if (n == "endpointslices") {
    return {
        name_column(),
        column("AddressType", "string",
               "addressType specifies the type of address carried by this EndpointSlice."),
        column("Ports", "string",
               "ports specifies the list of network ports exposed by each endpoint in this slice."),
        column("Endpoints", "string", "endpoints is a list of unique endpoints in this slice."),
        age_column()};
  }
  if (n == "horizontalpodautoscalers") {
    return {
        name_column(),
        column("Reference", "string", "scaleTargetRef points to the target resource to scale."),
        column("Targets", "string",
               "metrics contains the specifications for which to use to calculate the desired "
               "replica count."),
        column("MinPods", "string",
               "minReplicas is the lower limit for the number of replicas to which the autoscaler "
               "can scale down."),
        column("MaxPods", "string",
               "maxReplicas is the upper limit for the number of replicas to which the autoscaler "
               "can scale up."),
        column("Replicas", "string",
               "currentReplicas is current number of replicas of pods managed by this autoscaler."),
        age_column()};
  }
  if (n == "events") {
    return {column("Last Seen", "string",
                   "The time at which the most recent occurrence of this event was recorded."),
            column("Type", "string",
                   "Type of this event (Normal, Warning), new types could be added in the future"),
            column("Reason", "string",
                   "This should be a short, machine understandable string that gives the reason "
                   "for the transition into the object's current status."),
            column("Object", "string", "The object that this event is about."),
            wide("Subobject",
                 "If referring to a piece of an object instead of an entire object, this string "
                 "should contain a valid JSON/Go field access statement."),
            wide("Source", "The component reporting this event."),
            column("Message", "string",
                   "A human-readable description of the status of this operation."),
            wide("First Seen", "The time at which the event was first recorded."),
            wide("Count", "The number of times this event has occurred."),
            column("Name", "string", kNameDoc, 1, "name")};
  }
  if (n == "namespaces") {
    return {name_column(), column("Status", "string", "The status of the namespace"), age_column()};
  }
  if (n == "secrets") {
    return {name_column(),
            column("Type", "string", "Used to facilitate programmatic handling of secret data."),
            column("Data", "string", "Data contains the secret data."), age_column()};
  }
  // The API server's default table.
  return {name_column(), column("Created At", "date", kAgeDoc)};
}

json make_table(const ResourceInfo& resource, const std::vector<const json*>& objects,
                const std::string& rv, int64_t now_ms, const TableOptions& options) {
  json rows = json::array();
  for (const json* object : objects) {
    json row = {{"cells", table_cells(resource, *object, now_ms)}};
    if (resource.name == "pods" && resource.group.empty()) {
      std::string phase = (*object)["status"].value("phase", "");
      if (phase == "Succeeded" || phase == "Failed") {
        row["conditions"] =
            json::array({{{"type", "Completed"},
                          {"status", "True"},
                          {"reason", phase},
                          {"message", phase == "Succeeded" ? "The pod has completed successfully."
                                                           : "The pod failed."}}});
      }
    }
    switch (options.include) {
      case IncludeObject::kNone:
        row["object"] = nullptr;
        break;
      case IncludeObject::kObject:
        row["object"] = *object;
        break;
      case IncludeObject::kMetadata:
        row["object"] = {{"kind", "PartialObjectMetadata"},
                         {"apiVersion", options.api_version},
                         {"metadata", object->value("metadata", json::object())}};
        break;
    }
    rows.push_back(std::move(row));
  }
  json table = {{"kind", "Table"},
                {"apiVersion", options.api_version},
                {"metadata", {{"resourceVersion", rv}}}};
  table["columnDefinitions"] = options.with_columns ? table_columns(resource) : json::array();
  table["rows"] = rows;
  return table;
}

}  // namespace stampede::local::kube
