// The Kubernetes API in process over a real runtime: discovery, the token, every error Status,
// lists and tables, writes with their preconditions, and random requests that must all get an
// answer.
#include <random>

#include <gtest/gtest.h>

#include "targets/local/api/kube/kube_api_fixture.h"

namespace stampede::local::kube::testing {
namespace {

TEST_F(KubeApiTest, DiscoveryAndTheToken) {
  EXPECT_EQ(get_json("/version")["gitVersion"], "v1.31.0-stampede");
  EXPECT_EQ(get_json("/api")["versions"][0], "v1");
  json groups = get_json("/apis");
  std::vector<std::string> names;
  for (const json& g : groups["groups"]) names.push_back(g["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"apps", "discovery.k8s.io", "autoscaling",
                                             "metrics.k8s.io", "local.stampede.dev"}));
  json core = get_json("/api/v1");
  bool log = false;
  for (const json& r : core["resources"]) log = log || r["name"] == "pods/log";
  EXPECT_TRUE(log);
  json apps = get_json("/apis/apps/v1");
  for (const json& r : apps["resources"]) {
    if (r["name"] == "deployments/scale") {
      EXPECT_EQ(r["group"], "autoscaling");
      EXPECT_EQ(r["version"], "v1");
      EXPECT_EQ(r["kind"], "Scale");
    }
  }
  EXPECT_EQ(get_json("/apis/apps")["preferredVersion"]["groupVersion"], "apps/v1");
  // No token: only /version and the health checks; a wrong one: nothing.
  EXPECT_EQ(call(bhttp::verb::get, "/healthz", "", {}, false).body(), "ok");
  EXPECT_EQ(call(bhttp::verb::get, "/readyz", "", {}, false).result_int(), 200u);
  EXPECT_EQ(call(bhttp::verb::get, "/version", "", {}, false).result_int(), 200u);
  http::Response none = call(bhttp::verb::get, "/api/v1/pods", "", {}, false);
  EXPECT_EQ(none.result_int(), 401u);
  EXPECT_EQ(json::parse(none.body())["reason"], "Unauthorized");
  http::Response wrong =
      call(bhttp::verb::get, "/healthz", "", {{"Authorization", "Bearer nope"}}, false);
  EXPECT_EQ(wrong.result_int(), 401u);
}

TEST_F(KubeApiTest, ErrorsAreStatuses) {
  struct Case {
    bhttp::verb method;
    std::string target;
    unsigned code;
    std::string reason;
    std::string message;
    TestClient::Headers headers;
    std::string body;
  };
  const std::vector<Case> cases = {
      {bhttp::verb::get,
       "/api/v1/namespaces/default/pods/nope",
       404,
       "NotFound",
       "pods \"nope\" not found",
       {},
       ""},
      {bhttp::verb::get,
       "/apis/apps/v1/namespaces/default/deployments/nope",
       404,
       "NotFound",
       "deployments.apps \"nope\" not found",
       {},
       ""},
      {bhttp::verb::get,
       "/api/v1/namespaces/other/pods/" + pod_names()[0],
       404,
       "NotFound",
       "",
       {},
       ""},
      {bhttp::verb::get,
       "/api/v1/nothing",
       404,
       "NotFound",
       "the server could not find the requested resource",
       {},
       ""},
      {bhttp::verb::get, "/apis/batch/v1/jobs", 404, "NotFound", "", {}, ""},
      {bhttp::verb::get, "/openapi/v2", 404, "NotFound", "", {}, ""},
      {bhttp::verb::post, "/api/v1/namespaces/default/pods", 405, "MethodNotAllowed", "", {}, "{}"},
      {bhttp::verb::delete_,
       "/apis/apps/v1/namespaces/default/deployments/sleeper",
       405,
       "MethodNotAllowed",
       "",
       {},
       ""},
      {bhttp::verb::get,
       "/api/v1/namespaces/default/secrets?watch=true",
       405,
       "MethodNotAllowed",
       "",
       {},
       ""},
      {bhttp::verb::get,
       "/api/v1/namespaces/default/pods",
       406,
       "NotAcceptable",
       "",
       {{"Accept", "application/vnd.kubernetes.protobuf"}},
       ""},
      {bhttp::verb::get,
       "/api/v1/namespaces/default/pods?labelSelector=a+in+(b",
       400,
       "BadRequest",
       "",
       {},
       ""},
      {bhttp::verb::get,
       "/api/v1/namespaces/default/pods?fieldSelector=spec.nope%3Dx",
       400,
       "BadRequest",
       "field label not supported: spec.nope",
       {},
       ""},
      {bhttp::verb::get,
       "/api/v1/namespaces/default/pods?resourceVersion=x",
       400,
       "BadRequest",
       "",
       {},
       ""},
      {bhttp::verb::get, "/api/v1/namespaces/default/pods?x=%zz", 400, "BadRequest", "", {}, ""},
      {bhttp::verb::patch,
       "/apis/apps/v1/namespaces/default/deployments/sleeper",
       415,
       "UnsupportedMediaType",
       "",
       {{"Content-Type", "application/json"}},
       "{}"},
      {bhttp::verb::patch,
       "/apis/apps/v1/namespaces/default/deployments/sleeper",
       400,
       "BadRequest",
       "",
       {{"Content-Type", "application/merge-patch+json"}},
       "{nope"},
      {bhttp::verb::put,
       "/apis/apps/v1/namespaces/default/deployments/sleeper",
       409,
       "Conflict",
       "Operation cannot be fulfilled on deployments.apps \"sleeper\": the object has been "
       "modified; please apply your changes to the latest version and try again",
       {{"Content-Type", "application/json"}},
       R"({"metadata":{"name":"sleeper","resourceVersion":"1"}})"},
      {bhttp::verb::put,
       "/apis/apps/v1/namespaces/default/deployments/sleeper",
       400,
       "BadRequest",
       "the name of the object (other) does not match the name on the URL (sleeper)",
       {{"Content-Type", "application/json"}},
       R"({"metadata":{"name":"other"}})"},
      {bhttp::verb::delete_,
       "/api/v1/namespaces/default/pods/" + pod_names()[0] + "?gracePeriodSeconds=x",
       400,
       "BadRequest",
       "",
       {},
       ""},
      {bhttp::verb::delete_,
       "/api/v1/namespaces/default/pods/" + pod_names()[0],
       409,
       "Conflict",
       "",
       {},
       R"({"preconditions":{"uid":"not-its-uid"}})"},
      {bhttp::verb::get,
       "/api/v1/namespaces/default/pods/" + pod_names()[0] + "/log?container=x",
       400,
       "BadRequest",
       "container x is not valid for pod " + pod_names()[0],
       {},
       ""},
      {bhttp::verb::get,
       "/api/v1/namespaces/default/pods/" + pod_names()[0] + "/log?previous=true",
       400,
       "BadRequest",
       "",
       {},
       ""},
      {bhttp::verb::post,
       "/apis/local.stampede.dev/v1/namespaces/default/pods/" + pod_names()[0] + "/resume",
       409,
       "Conflict",
       "",
       {},
       ""},
      {bhttp::verb::put,
       "/apis/local.stampede.dev/v1/namespaces/default/services/sleeper/fault",
       400,
       "BadRequest",
       "latency: unknown fault field",
       {},
       R"({"latency": 1})"},
  };
  for (const Case& c : cases) {
    http::Response r = call(c.method, c.target, c.body, c.headers);
    EXPECT_EQ(r.result_int(), c.code) << c.target << " " << r.body();
    json status = json::parse(r.body(), nullptr, false);
    ASSERT_TRUE(status.is_object()) << c.target << " " << r.body();
    EXPECT_EQ(status["kind"], "Status") << c.target;
    EXPECT_EQ(status["code"], c.code) << c.target;
    EXPECT_EQ(status["reason"], c.reason) << c.target << " " << r.body();
    if (!c.message.empty()) {
      EXPECT_EQ(status["message"], c.message) << c.target;
    }
  }
}

TEST_F(KubeApiTest, ListsTablesAndNamespaces) {
  json list = get_json("/api/v1/namespaces/default/pods");
  EXPECT_EQ(list["kind"], "PodList");
  EXPECT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(get_json("/api/v1/pods")["items"].size(), 2u);  // all namespaces
  EXPECT_EQ(get_json("/api/v1/namespaces/other/pods")["items"].size(), 0u);
  EXPECT_EQ(get_json("/api/v1/namespaces")["items"][0]["metadata"]["name"], "default");
  get_json("/api/v1/namespaces/other", 404);
  json one = get_json(
      "/api/v1/namespaces/default/pods?labelSelector=app%3Dsleeper,"
      "pod-template-hash&fieldSelector=metadata.name%3D" +
      pod_names()[0]);
  EXPECT_EQ(one["items"].size(), 1u);
  http::Response table = call(bhttp::verb::get, "/api/v1/namespaces/default/pods", "",
                              {{"Accept",
                                "application/json;as=Table;v=v1;g=meta.k8s.io,"
                                "application/json"}});
  EXPECT_EQ(std::string(table[bhttp::field::content_type]),
            "application/json;as=Table;v=v1;g=meta.k8s.io");
  json t = json::parse(table.body());
  EXPECT_EQ(t["kind"], "Table");
  EXPECT_EQ(t["columnDefinitions"].size(), 9u);
  ASSERT_EQ(t["rows"].size(), 2u);
  EXPECT_EQ(t["rows"][0]["cells"][2], "Running");
  EXPECT_EQ(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
  // The pods may change between the two reads (a CPU sample, a probe): never older, though.
  EXPECT_GE(std::stoll(t["metadata"]["resourceVersion"].get<std::string>()),
            std::stoll(list["metadata"]["resourceVersion"].get<std::string>()));
  json full = json::parse(
      call(bhttp::verb::get, "/apis/apps/v1/namespaces/default/deployments?includeObject=Object",
           "", {{"Accept", "application/json;as=Table;v=v1beta1;g=meta.k8s.io"}})
          .body());
  EXPECT_EQ(full["apiVersion"], "meta.k8s.io/v1beta1");
  EXPECT_EQ(full["rows"][0]["object"]["kind"], "Deployment");
  json metrics = get_json("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods");
  EXPECT_EQ(metrics["kind"], "PodMetricsList");
}

TEST_F(KubeApiTest, WritesAnswerTheObjectAsItIsNow) {
  std::string pod = pod_names()[0];
  json stored = get_json("/api/v1/namespaces/default/pods/" + pod);
  // dryRun: nothing happens.
  json preview = json::parse(
      call(bhttp::verb::delete_, "/api/v1/namespaces/default/pods/" + pod + "?dryRun=All").body());
  EXPECT_TRUE(preview["metadata"].contains("deletionTimestamp"));
  EXPECT_FALSE(
      get_json("/api/v1/namespaces/default/pods/" + pod)["metadata"].contains("deletionTimestamp"));
  http::Response deleted =
      call(bhttp::verb::delete_, "/api/v1/namespaces/default/pods/" + pod,
           json{{"gracePeriodSeconds", 5}, {"preconditions", {{"uid", stored["metadata"]["uid"]}}}}
               .dump());
  ASSERT_EQ(deleted.result_int(), 200u) << deleted.body();
  json answer = json::parse(deleted.body());
  EXPECT_EQ(answer["metadata"]["deletionGracePeriodSeconds"], 5);
  EXPECT_NE(answer["metadata"]["resourceVersion"], stored["metadata"]["resourceVersion"]);
  // sleep goes at SIGTERM: the pod is gone and replaced.
  ASSERT_TRUE(http::testing::wait_until(
      [&] {
        auto names = pod_names();
        return names.size() == 2 && std::find(names.begin(), names.end(), pod) == names.end() &&
               call(bhttp::verb::get, "/api/v1/namespaces/default/pods/" + pod).result_int() == 404;
      },
      std::chrono::seconds(10)));
  // Scale through the subresource; the Scale comes back.
  http::Response scaled =
      call(bhttp::verb::patch, "/apis/apps/v1/namespaces/default/deployments/sleeper/scale",
           R"({"spec":{"replicas":3}})", {{"Content-Type", "application/merge-patch+json"}});
  ASSERT_EQ(scaled.result_int(), 200u) << scaled.body();
  EXPECT_EQ(json::parse(scaled.body())["spec"]["replicas"], 3);
  EXPECT_EQ(json::parse(scaled.body())["kind"], "Scale");
  json d = get_json("/apis/apps/v1/namespaces/default/deployments/sleeper");
  EXPECT_EQ(d["spec"]["replicas"], 3);
  EXPECT_EQ(d["metadata"]["generation"], 2);
  // An update with the current resourceVersion; template annotations roll out.
  d["spec"]["template"]["metadata"]["annotations"] = {{"example.com/x", "1"}};
  http::Response put =
      call(bhttp::verb::put, "/apis/apps/v1/namespaces/default/deployments/sleeper", d.dump(),
           {{"Content-Type", "application/json"}});
  ASSERT_EQ(put.result_int(), 200u) << put.body();
  json after = json::parse(put.body());
  EXPECT_EQ(after["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "2");
  EXPECT_EQ(after["spec"]["template"]["metadata"]["annotations"]["example.com/x"], "1");
  // Logs of a pod: what its container wrote.
  std::string current = pod_names()[0];
  http::Response logs =
      call(bhttp::verb::get, "/api/v1/namespaces/default/pods/" + current + "/log");
  EXPECT_TRUE(http::testing::wait_until(
      [&] {
        logs = call(bhttp::verb::get, "/api/v1/namespaces/default/pods/" + current + "/log");
        return logs.body().find("hello from " + current) != std::string::npos;
      },
      std::chrono::seconds(10)))
      << logs.body();
}

TEST_F(KubeApiTest, RandomRequestsAllGetAnAnswer) {
  std::mt19937 rng(7);
  const std::vector<std::string> segments = {"api",         "apis",
                                             "v1",          "apps",
                                             "namespaces",  "default",
                                             "other",       "pods",
                                             "deployments", "scale",
                                             "status",      "log",
                                             "proxy",       "services",
                                             "fault",       "local.stampede.dev",
                                             "nope",        "metrics.k8s.io",
                                             "v1beta1",     "events",
                                             "%zz",         "..",
                                             "a:b:c",       "",
                                             "http:nope:1", "x%2Fy"};
  const std::vector<std::string> queries = {"",
                                            "?watch=maybe",
                                            "?labelSelector=!",
                                            "?fieldSelector==",
                                            "?resourceVersion=-1",
                                            "?timeoutSeconds=99999999999",
                                            "?includeObject=Everything",
                                            "?tailLines=-3",
                                            "?limitBytes=x",
                                            "?follow=1&previous=1",
                                            "?gracePeriodSeconds=-5",
                                            "?dryRun=Some"};
  const std::vector<std::string> bodies = {"",         "{",
                                           "[]",       "null",
                                           "\"x\"",    "[{}]",
                                           "{}",       "{\"spec\":{\"replicas\":\"x\"}}",
                                           "\xff\xfe", "{\"metadata\":5}"};
  const bhttp::verb methods[] = {bhttp::verb::get,   bhttp::verb::post,    bhttp::verb::put,
                                 bhttp::verb::patch, bhttp::verb::delete_, bhttp::verb::head};
  const std::vector<std::string> types = {"application/merge-patch+json",
                                          "application/json-patch+json",
                                          "application/strategic-merge-patch+json", "text/plain"};
  for (int i = 0; i < 1500; ++i) {
    std::string target;
    int n = 1 + static_cast<int>(rng() % 8);
    for (int s = 0; s < n; ++s) target += "/" + segments[rng() % segments.size()];
    target += queries[rng() % queries.size()];
    TestClient::Headers headers = {{"Content-Type", types[rng() % types.size()]}};
    if (rng() % 3 == 0)
      headers.push_back({"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"});
    bhttp::verb method = methods[rng() % 6];
    http::Reply reply =
        api_->handle(TestClient::make_request(method, target, bodies[rng() % bodies.size()], [&] {
          headers.push_back({"Authorization", std::string("Bearer ") + kToken});
          return headers;
        }()));
    unsigned code = reply.response.result_int();
    EXPECT_TRUE(code >= 200 && code < 600) << target;
    if (reply.stream) {
      reply.stream->end();
      continue;
    }
    if (code >= 400) {
      json status = json::parse(reply.response.body(), nullptr, false);
      EXPECT_TRUE(status.is_object() && status["kind"] == "Status") << target << " " << code;
    }
  }
  // Still serving.
  EXPECT_EQ(get_json("/api/v1/namespaces/default/pods")["kind"], "PodList");
}

}  // namespace
}  // namespace stampede::local::kube::testing
