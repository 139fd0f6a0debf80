// The Kubernetes API in process, over a real Runtime whose pods are `sleep` processes (no shop,
// no kubectl): discovery, the token, every error Status, lists and tables, writes with their
// preconditions, watches (initial events, replay, selector transitions, 410, bookmarks and
// timeouts, Table events) through the real HTTP server, and random requests that must all get
// an answer.
#include "targets/local/api/kube/kube_api.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <thread>

#include "common/http/test_client.h"
#include "targets/local/api/api_server.h"
#include "targets/local/runtime/clock.h"

namespace stampede::local::kube {
namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;
using http::testing::TestClient;

constexpr const char* kToken = "test-token";

DeploymentSpec sleeper(const std::string& name, int replicas) {
  DeploymentSpec d;
  d.name = name;
  d.image_repository = "local/sleeper";
  d.command = {"sh", "-c", "echo hello from $(HOSTNAME); exec sleep 600"};
  d.replicas = replicas;
  d.ports = {{"http", 8080, "PORT"}};
  d.service = ServiceSpec{80, "http"};
  d.address_env = "SLEEPER_ADDR";
  d.termination_grace_period_seconds = 1;
  d.cpu_request_millis = 100;
  return d;
}

class KubeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kube_api_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    RuntimeOptions options;
    options.values.deployments = {sleeper("sleeper", 2)};
    options.values.local.cpu_limits = CpuLimitsSetting::kOff;
    options.values.local.crash_loop_backoff_base_seconds = 1;
    options.state_dir = dir_.string();
    options.admin_token = "admin";
    auto rt = Runtime::start(std::move(options));
    ASSERT_TRUE(rt.ok()) << rt.error().message();
    runtime_ = std::move(rt).value();
    KubeApiOptions kube_options;
    kube_options.token = kToken;
    kube_options.history = history();
    auto api = KubeApi::start(*runtime_, kube_options);
    ASSERT_TRUE(api.ok()) << api.error().message();
    api_ = std::move(api).value();
    auto server = ApiServer::start(
        *runtime_, kToken, nullptr, 0,
        [this](const http::Request& r, const http::Peer&) { return api_->handle(r); });
    ASSERT_TRUE(server.ok());
    server_ = std::move(server).value();
    ASSERT_TRUE(
        http::testing::wait_until([&] { return running_pods() == 2; }, std::chrono::seconds(10)));
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (api_) api_->stop();
    if (runtime_) {
      runtime_->shutdown();
      runtime_->stop();
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  virtual size_t history() const { return 10000; }

  // One request straight to the handler.
  http::Response call(bhttp::verb method, const std::string& target, const std::string& body = "",
                      TestClient::Headers headers = {}, bool auth = true) {
    if (auth) headers.push_back({"Authorization", std::string("Bearer ") + kToken});
    http::Reply reply = api_->handle(TestClient::make_request(method, target, body, headers));
    return reply.response;
  }
  json get_json(const std::string& target, int expect = 200) {
    http::Response r = call(bhttp::verb::get, target);
    EXPECT_EQ(r.result_int(), static_cast<unsigned>(expect)) << target << " " << r.body();
    return json::parse(r.body(), nullptr, false);
  }
  int running_pods() {
    json pods = json::parse(call(bhttp::verb::get, "/api/v1/namespaces/default/pods").body(),
                            nullptr, false);
    int n = 0;
    if (!pods.is_object()) return 0;
    for (const json& p : pods["items"]) {
      if (p["status"]["containerStatuses"][0]["state"].contains("running")) ++n;
    }
    return n;
  }
  std::vector<std::string> pod_names() {
    std::vector<std::string> names;
    json pods = get_json("/api/v1/namespaces/default/pods");
    for (const json& p : pods["items"]) {
      if (!p["metadata"].contains("deletionTimestamp")) names.push_back(p["metadata"]["name"]);
    }
    return names;
  }

  // A watch over the real server: its events as they arrive.
  class Watch {
   public:
    Watch(uint16_t port, const std::string& target, TestClient::Headers headers = {})
        : client_(port) {
      headers.push_back({"Authorization", std::string("Bearer ") + kToken});
      client_.send(TestClient::make_request(bhttp::verb::get, target, "", headers));
    }
    // Reads until `n` events have come (or the stream ended); the events so far.
    std::vector<json> until(size_t n) {
      while (events_.size() < n && !ended_) {
        std::string more = client_.read_some_raw();
        if (more.empty()) {
          ended_ = true;
          break;
        }
        raw_ += more;
        parse();
      }
      return events_;
    }
    bool ended() const { return ended_; }

   private:
    void parse() {
      size_t head = raw_.find("\r\n\r\n");
      if (head == std::string::npos) return;
      std::string body = raw_.substr(head + 4);
      // Chunked: size line, data, CRLF.
      std::string data;
      size_t pos = 0;
      while (pos < body.size()) {
        size_t eol = body.find("\r\n", pos);
        if (eol == std::string::npos) break;
        size_t size = std::strtoul(body.substr(pos, eol - pos).c_str(), nullptr, 16);
        if (size == 0) {
          ended_ = true;
          break;
        }
        if (body.size() < eol + 2 + size + 2) break;
        data += body.substr(eol + 2, size);
        pos = eol + 2 + size + 2;
      }
      events_.clear();
      size_t start = 0;
      for (size_t nl = data.find('\n'); nl != std::string::npos; nl = data.find('\n', start)) {
        events_.push_back(json::parse(data.substr(start, nl - start), nullptr, false));
        start = nl + 1;
      }
    }
    TestClient client_;
    std::string raw_;
    std::vector<json> events_;
    bool ended_ = false;
  };

  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<KubeApi> api_;
  std::unique_ptr<ApiServer> server_;
};

TEST_F(KubeApiTest, DiscoveryAndTheToken) {
  EXPECT_EQ(get_json("/version")["gitVersion"], "v1.31.0-stampede");
  EXPECT_EQ(get_json("/api")["versions"][0], "v1");
  json groups = get_json("/apis");
  std::vector<std::string> names;
  for (const json& g : groups["groups"]) names.push_back(g["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"apps", "autoscaling", "metrics.k8s.io",
                                             "local.stampede.dev"}));
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
  EXPECT_EQ(t["metadata"]["resourceVersion"], list["metadata"]["resourceVersion"]);
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

TEST_F(KubeApiTest, WatchesStartReplayAndFollowSelectors) {
  std::string pod = pod_names()[0];
  json list = get_json("/api/v1/namespaces/default/pods");
  std::string rv = list["metadata"]["resourceVersion"];
  // From no resourceVersion: ADDED for both pods first.
  Watch all(server_->port(), "/api/v1/namespaces/default/pods?watch=true");
  auto initial = all.until(2);
  ASSERT_EQ(initial.size(), 2u);
  EXPECT_EQ(initial[0]["type"], "ADDED");
  // From the list's version, filtered to one pod: nothing until it changes.
  Watch one(server_->port(), "/api/v1/namespaces/default/pods?watch=1&resourceVersion=" + rv +
                                 "&fieldSelector=metadata.name%3D" + pod);
  ASSERT_EQ(call(bhttp::verb::delete_, "/api/v1/namespaces/default/pods/" + pod).result_int(),
            200u);
  auto events = one.until(2);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0]["type"], "MODIFIED");
  EXPECT_TRUE(events[0]["object"]["metadata"].contains("deletionTimestamp"));
  EXPECT_EQ(events.back()["type"], "DELETED");
  EXPECT_EQ(events.back()["object"]["metadata"]["name"], pod);
  // A label selector the pod stops matching... the replacement is ADDED to the first watch.
  auto more = all.until(6);
  bool added_replacement = false;
  for (size_t i = 2; i < more.size(); ++i) {
    added_replacement = added_replacement || (more[i]["type"] == "ADDED" &&
                                              more[i]["object"]["metadata"]["name"] != pod);
  }
  EXPECT_TRUE(added_replacement);
  // Replay: from the old version, the same changes again.
  Watch replay(server_->port(), "/api/v1/namespaces/default/pods?watch=1&resourceVersion=" + rv +
                                    "&fieldSelector=metadata.name%3D" + pod);
  auto replayed = replay.until(2);
  EXPECT_EQ(replayed.back()["type"], "DELETED");
}

TEST_F(KubeApiTest, WatchBookmarksTimeoutsAndTables) {
  Watch w(server_->port(),
          "/apis/apps/v1/namespaces/default/deployments?watch=true&allowWatchBookmarks=true"
          "&timeoutSeconds=1");
  auto events = w.until(100);  // until the end
  EXPECT_TRUE(w.ended());
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0]["type"], "ADDED");
  EXPECT_EQ(events.back()["type"], "BOOKMARK");
  EXPECT_EQ(events.back()["object"]["kind"], "Deployment");
  EXPECT_FALSE(events.back()["object"]["metadata"]["resourceVersion"].get<std::string>().empty());
  Watch table(server_->port(), "/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1",
              {{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"}});
  auto rows = table.until(2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["object"]["kind"], "Table");
  EXPECT_EQ(rows[0]["object"]["columnDefinitions"].size(), 9u);
  EXPECT_TRUE(rows[1]["object"]["columnDefinitions"].empty());  // headers only once
  EXPECT_EQ(rows[1]["object"]["rows"].size(), 1u);
}

class SmallHistory : public KubeApiTest {
  size_t history() const override { return 3; }
};

TEST_F(SmallHistory, AnExpiredVersionIsAnErrorEvent) {
  // Every pod start, readiness change and event is a change: the history of 3 moved on.
  Watch w(server_->port(), "/api/v1/namespaces/default/pods?watch=true&resourceVersion=1");
  auto events = w.until(1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "ERROR");
  EXPECT_EQ(events[0]["object"]["code"], 410);
  EXPECT_EQ(events[0]["object"]["reason"], "Expired");
  EXPECT_EQ(
      events[0]["object"]["message"].get<std::string>().rfind("too old resource version: 1 (", 0),
      0u);
  w.until(2);
  EXPECT_TRUE(w.ended());
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
}  // namespace stampede::local::kube
