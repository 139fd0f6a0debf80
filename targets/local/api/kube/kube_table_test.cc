#include "targets/local/api/kube/kube_table.h"

#include <gtest/gtest.h>

#include "targets/kubernetes/kube_time.h"

namespace stampede::local::kube {
namespace {

using nlohmann::json;

const ResourceInfo& resource(const std::string& group, const std::string& name) {
  return *find_resource(group,
                        group == "apps"          ? "v1"
                        : group == "autoscaling" ? "v2"
                                                 : "v1",
                        name, true);
}

json pod(json container_state, json extra_status = json::object(), json meta = json::object()) {
  json status = {{"phase", "Running"},
                 {"containerStatuses", json::array({{{"name", "c"},
                                                     {"ready", container_state.contains("running")},
                                                     {"restartCount", 0},
                                                     {"state", container_state}}})}};
  status.update(extra_status);
  json m = {{"name", "p"}, {"creationTimestamp", "2026-01-01T00:00:00Z"}};
  m.update(meta);
  return {{"metadata", m},
          {"spec", {{"containers", json::array({{{"name", "c"}}})}}},
          {"status", status}};
}

TEST(Table, HumanDurationsAreApimachinerys) {
  EXPECT_EQ(human_duration(-5000), "<invalid>");
  EXPECT_EQ(human_duration(-500), "0s");
  EXPECT_EQ(human_duration(0), "0s");
  EXPECT_EQ(human_duration(45'000), "45s");
  EXPECT_EQ(human_duration(119'000), "119s");
  EXPECT_EQ(human_duration(120'000), "2m");
  EXPECT_EQ(human_duration(200'000), "3m20s");
  EXPECT_EQ(human_duration(11 * 60'000), "11m");
  EXPECT_EQ(human_duration(5 * 3600'000 + 30 * 60'000), "5h30m");
  EXPECT_EQ(human_duration(20 * 3600'000LL), "20h");
  EXPECT_EQ(human_duration(3 * 86400'000LL + 3600'000), "3d1h");
  EXPECT_EQ(human_duration(30 * 86400'000LL), "30d");
  EXPECT_EQ(human_duration(3 * 365 * 86400'000LL), "3y");
}

TEST(Table, PodStatusFollowsThePrinter) {
  EXPECT_EQ(pod_status_text(pod({{"running", {{"startedAt", "x"}}}})), "Running");
  EXPECT_EQ(pod_status_text(
                pod({{"waiting", {{"reason", "ContainerCreating"}}}}, {{"phase", "Pending"}})),
            "ContainerCreating");
  EXPECT_EQ(pod_status_text(pod({{"waiting", {{"reason", "CrashLoopBackOff"}}}})),
            "CrashLoopBackOff");
  EXPECT_EQ(pod_status_text(pod({{"terminated", {{"reason", "Error"}, {"exitCode", 1}}}})),
            "Error");
  EXPECT_EQ(pod_status_text(pod({{"terminated", {{"exitCode", 2}}}})), "ExitCode:2");
  EXPECT_EQ(pod_status_text(pod({{"terminated", {{"exitCode", 137}, {"signal", 9}}}})), "Signal:9");
  EXPECT_EQ(pod_status_text(pod({{"terminated", {{"reason", "Completed"}, {"exitCode", 0}}}},
                                {{"phase", "Succeeded"}})),
            "Completed");
  EXPECT_EQ(pod_status_text(pod({{"running", json::object()}}, json::object(),
                                {{"deletionTimestamp", "2026-01-01T00:01:00Z"}})),
            "Terminating");
  // A terminal pod being deleted keeps its phase's word.
  EXPECT_EQ(
      pod_status_text(pod({{"terminated", {{"reason", "Completed"}}}}, {{"phase", "Succeeded"}},
                          {{"deletionTimestamp", "2026-01-01T00:01:00Z"}})),
      "Completed");
  EXPECT_EQ(pod_status_text(json::object()), "");  // nothing crashes on an empty object
  // Completed with another container still running and the pod Ready: Running.
  json two = pod({{"running", json::object()}});
  two["status"]["containerStatuses"].push_back(
      {{"name", "d"}, {"ready", false}, {"state", {{"terminated", {{"reason", "Completed"}}}}}});
  two["status"]["conditions"] = json::array({{{"type", "Ready"}, {"status", "False"}}});
  EXPECT_EQ(pod_status_text(two), "NotReady");
}

TEST(Table, RestartsCarryTheLastOnesAge) {
  int64_t finished = stampede::kube::parse_time_us("2026-01-01T00:00:10Z").value() / 1000;
  json p = pod({{"running", json::object()}});
  EXPECT_EQ(pod_restarts_text(p, finished), "0");
  p["status"]["containerStatuses"][0]["restartCount"] = 2;
  p["status"]["containerStatuses"][0]["lastState"] = {
      {"terminated", {{"finishedAt", "2026-01-01T00:00:10Z"}}}};
  EXPECT_EQ(pod_restarts_text(p, finished + 15'000), "2 (15s ago)");
}

TEST(Table, PodRowsAndTheirObjects) {
  const ResourceInfo& pods = resource("", "pods");
  json p = pod({{"running", json::object()}}, {{"podIPs", json::array({{{"ip", "127.0.0.1"}}})}});
  p["spec"]["nodeName"] = "stampede-local";
  int64_t now = stampede::kube::parse_time_us("2026-01-01T00:05:00Z").value() / 1000;
  json cells = table_cells(pods, p, now);
  EXPECT_EQ(cells, json::array({"p", "1/1", "Running", "0", "5m", "127.0.0.1", "stampede-local",
                                "<none>", "<none>"}));
  EXPECT_EQ(table_columns(pods).size(), 9u);
  EXPECT_EQ(table_columns(pods)[5]["priority"], 1);  // IP is a wide column
  TableOptions options;
  json t = make_table(pods, {&p}, "42", now, options);
  EXPECT_EQ(t["kind"], "Table");
  EXPECT_EQ(t["metadata"]["resourceVersion"], "42");
  EXPECT_EQ(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(t["rows"][0]["object"]["metadata"]["name"], "p");
  options.include = IncludeObject::kNone;
  options.with_columns = false;
  t = make_table(pods, {&p}, "42", now, options);
  EXPECT_TRUE(t["rows"][0]["object"].is_null());
  EXPECT_TRUE(t["columnDefinitions"].empty());
}

TEST(Table, OtherResourcesRows) {
  int64_t now = stampede::kube::parse_time_us("2026-01-01T01:00:00Z").value() / 1000;
  json meta = {{"name", "frontend"}, {"creationTimestamp", "2026-01-01T00:00:00Z"}};
  json template_spec = {{"containers", json::array({{{"name", "frontend"}, {"image", "shop:1"}}})}};
  json deployment = {
      {"metadata", meta},
      {"spec",
       {{"replicas", 3},
        {"selector", {{"matchLabels", {{"app", "frontend"}}}}},
        {"template", {{"spec", template_spec}}}}},
      {"status", {{"readyReplicas", 2}, {"updatedReplicas", 3}, {"availableReplicas", 2}}}};
  EXPECT_EQ(table_cells(resource("apps", "deployments"), deployment, now),
            json::array({"frontend", "2/3", 3, 2, "60m", "frontend", "shop:1", "app=frontend"}));
  json service = {{"metadata", meta},
                  {"spec",
                   {{"type", "ClusterIP"},
                    {"clusterIPs", json::array({"127.0.0.1"})},
                    {"ports", json::array({{{"port", 41000}, {"protocol", "TCP"}}})},
                    {"selector", {{"app", "frontend"}}}}}};
  EXPECT_EQ(table_cells(resource("", "services"), service, now),
            json::array({"frontend", "ClusterIP", "127.0.0.1", "<none>", "41000/TCP", "60m",
                         "app=frontend"}));
  json endpoints = {{"metadata", meta}, {"subsets", json::array()}};
  for (int port = 1; port <= 5; ++port) {
    endpoints["subsets"].push_back({{"addresses", json::array({{{"ip", "127.0.0.1"}}})},
                                    {"ports", json::array({{{"port", port}}})}});
  }
  EXPECT_EQ(table_cells(resource("", "endpoints"), endpoints, now)[1],
            "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3 + 2 more...");
  json hpa = {
      {"metadata", meta},
      {"spec",
       {{"scaleTargetRef", {{"kind", "Deployment"}, {"name", "frontend"}}},
        {"minReplicas", 1},
        {"maxReplicas", 4},
        {"metrics",
         json::array({{{"type", "Resource"},
                       {"resource",
                        {{"name", "cpu"},
                         {"target", {{"type", "Utilization"}, {"averageUtilization", 70}}}}}}})}}},
      {"status", {{"currentReplicas", 2}}}};
  EXPECT_EQ(
      table_cells(resource("autoscaling", "horizontalpodautoscalers"), hpa, now),
      json::array({"frontend", "Deployment/frontend", "cpu: <unknown>/70%", "1", 4, 2, "60m"}));
  hpa["status"]["currentMetrics"] =
      json::array({{{"resource", {{"name", "cpu"}, {"current", {{"averageUtilization", 35}}}}}}});
  EXPECT_EQ(table_cells(resource("autoscaling", "horizontalpodautoscalers"), hpa, now)[2],
            "cpu: 35%/70%");
  json event = {
      {"metadata", {{"name", "p.1"}}},
      {"involvedObject", {{"kind", "Pod"}, {"name", "p"}, {"fieldPath", "spec.containers{c}"}}},
      {"reason", "Started"},
      {"message", "Started container c\n"},
      {"type", "Normal"},
      {"count", 3},
      {"source", {{"component", "kubelet"}, {"host", "stampede-local"}}},
      {"firstTimestamp", "2026-01-01T00:00:00Z"},
      {"lastTimestamp", "2026-01-01T00:59:30Z"}};
  EXPECT_EQ(table_cells(resource("", "events"), event, now),
            json::array({"30s", "Normal", "Started", "pod/p", "spec.containers{c}",
                         "kubelet, stampede-local", "Started container c", "60m", 3, "p.1"}));
  // Anything else: NAME and CREATED AT.
  const ResourceInfo* metrics = find_resource("metrics.k8s.io", "v1beta1", "pods", true);
  EXPECT_EQ(table_columns(*metrics).size(), 2u);
  EXPECT_EQ(table_cells(*metrics, {{"metadata", meta}}, now),
            json::array({"frontend", "2026-01-01T00:00:00Z"}));
}

}  // namespace
}  // namespace stampede::local::kube
