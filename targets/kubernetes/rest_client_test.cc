// The REST client against the fake API server: what it sends, how answers outside 2xx become
// errors, which failures it retries and how long it waits, the 401 refresh, token rotation.
#include "targets/kubernetes/rest_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "common/testing/temp_dir.h"
#include "targets/kubernetes/in_cluster.h"
#include "targets/kubernetes/testing/fake_api_server.h"
#include "targets/kubernetes/testing/fixtures.h"

namespace stampede::kube {
namespace {

using Clock = std::chrono::steady_clock;
using stampede::TempDir;
using testing::FakeApiServer;
using testing::FakeResponse;
using testing::fixture_json;
using testing::fixture_text;

constexpr const char* kPods = "/api/v1/namespaces/shop/pods";
constexpr const char* kPod = "/api/v1/namespaces/shop/pods/cartservice-6d9f7c5b8d-x7k2p";
constexpr const char* kScale = "/apis/apps/v1/namespaces/shop/deployments/cartservice/scale";

RestRequest request(std::string method, std::string path, Query query = {}, std::string body = "",
                    std::string content_type = "") {
  RestRequest r(std::move(method), std::move(path), std::move(query));
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

FakeResponse fixture(int code, const std::string& name) {
  FakeResponse r;
  r.code = code;
  r.body = fixture_text(name);
  return r;
}

class RestClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = FakeApiServer::start();
    ASSERT_TRUE(server.ok()) << server.error().message();
    api_ = std::move(server).value();
    config_.server = api_->url();
    config_.source = "kubeconfig /x/config, context kind-kind";
    config_.bearer_token = "tok";
    options_.initial_backoff = std::chrono::milliseconds(5);
    options_.max_backoff = std::chrono::milliseconds(20);
  }
  std::unique_ptr<RestClient> client() {
    auto made = RestClient::create(std::make_shared<Credentials>(config_), options_);
    EXPECT_TRUE(made.ok()) << made.error().message();
    return made.ok() ? std::move(made).value() : nullptr;
  }

  std::unique_ptr<FakeApiServer> api_;
  RestConfig config_;
  RestClientOptions options_;
};

TEST_F(RestClientTest, SendsTheTokenAndTheRightHeadersForEachVerb) {
  api_->on("GET", kPods, fixture(200, "pod_list.json"));
  api_->on("PATCH", kScale, fixture(200, "scale.json"));
  api_->on("DELETE", kPod, FakeResponse::json(200, fixture_json("pod_list.json")["items"][0]));
  api_->on("POST", kPods, FakeResponse::json(201, {{"kind", "Pod"}}));
  auto c = client();
  auto list = c->get(kPods, Query{{"labelSelector", "app=cartservice"}, {"limit", "500"}});
  ASSERT_TRUE(list.ok()) << list.error().message();
  EXPECT_EQ(list.value()["items"].size(), 2u);
  auto scaled = c->patch(kScale, {{"spec", {{"replicas", 5}}}});
  ASSERT_TRUE(scaled.ok()) << scaled.error().message();
  EXPECT_EQ(scaled.value()["spec"]["replicas"], 5);
  ASSERT_TRUE(c->remove(kPod, {{"gracePeriodSeconds", 0}}).ok());
  ASSERT_TRUE(c->create(kPods, {{"kind", "Pod"}}).ok());

  auto sent = api_->requests();
  ASSERT_EQ(sent.size(), 4u);
  for (const auto& r : sent) {
    EXPECT_EQ(r.header("Authorization"), "Bearer tok");
    EXPECT_EQ(r.header("Accept"), "application/json");
    EXPECT_EQ(r.header("User-Agent"), "stampede");
  }
  EXPECT_EQ(sent[0].target, std::string(kPods) + "?labelSelector=app%3Dcartservice&limit=500");
  EXPECT_EQ(sent[0].param("labelSelector"), "app=cartservice");
  EXPECT_EQ(sent[1].method, "PATCH");
  EXPECT_EQ(sent[1].header("Content-Type"), "application/merge-patch+json");
  EXPECT_EQ(nlohmann::json::parse(sent[1].body),
            nlohmann::json::parse(R"({"spec":{"replicas":5}})"));
  EXPECT_EQ(sent[2].method, "DELETE");
  EXPECT_EQ(sent[2].header("Content-Type"), "application/json");
  EXPECT_EQ(sent[2].body, R"({"gracePeriodSeconds":0})");
  EXPECT_EQ(sent[3].method, "POST");
}

TEST_F(RestClientTest, AnswersOutside2xxBecomeErrorsWithTheStatus) {
  api_->on("DELETE", kPod, fixture(404, "status_404.json"));
  api_->on("GET", kPod, fixture(403, "status_403.json"));
  api_->on("PUT", "/apis/apps/v1/namespaces/shop/deployments/cartservice",
           fixture(422, "status_422.json"));
  auto c = client();
  auto gone = c->remove(kPod);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.code(), 404);
  EXPECT_TRUE(gone.api_error().is_not_found());  // callers treat it as "already gone"
  EXPECT_EQ(gone.error().message(),
            "delete pods \"cartservice-6d9f7c5b8d-x7k2p\" in namespace shop: pods "
            "\"cartservice-6d9f7c5b8d-x7k2p\" not found (NotFound, 404)");

  auto forbidden = c->get(kPod);
  ASSERT_FALSE(forbidden.ok());
  EXPECT_TRUE(forbidden.api_error().is_forbidden());
  EXPECT_EQ(forbidden.error().message().rfind(
                "get pods \"cartservice-6d9f7c5b8d-x7k2p\" in namespace shop: forbidden (403): the "
                "credentials (kubeconfig /x/config, context kind-kind) may not \"get\" \"pods\" in "
                "namespace \"shop\" — grant it in the runner's Role",
                0),
            0u)
      << forbidden.error().message();

  auto invalid = c->replace("/apis/apps/v1/namespaces/shop/deployments/cartservice", {});
  ASSERT_FALSE(invalid.ok());
  EXPECT_TRUE(invalid.api_error().is_invalid());
  EXPECT_EQ(invalid.api_error().status()->causes.at(0).field, "spec.replicas");
  EXPECT_NE(invalid.error().message().find("(Invalid, 422)"), std::string::npos);
  // Nothing above is retried.
  EXPECT_EQ(api_->requests().size(), 3u);
}

TEST_F(RestClientTest, RetriesA429AfterRetryAfterThenSucceeds) {
  api_->on_sequence(
      "GET", kPods,
      {fixture(429, "status_429.json").header("Retry-After", "1"), fixture(200, "pod_list.json")});
  auto c = client();
  auto started = Clock::now();
  auto answer = c->call(request("GET", kPods));
  auto took = Clock::now() - started;
  ASSERT_TRUE(answer.ok()) << answer.error().message();
  EXPECT_EQ(answer.value().attempts, 2);
  EXPECT_GE(took, std::chrono::milliseconds(900));  // the server's second, not our 5 ms
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(RestClientTest, HonoursRetryAfterSecondsInTheStatusDetails) {
  api_->on_sequence("POST", kPods,  // 429 is retried for every verb: nothing ran
                    {fixture(429, "status_429.json"), FakeResponse::json(201, {{"kind", "Pod"}})});
  auto c = client();
  auto started = Clock::now();
  auto created = c->create(kPods, {{"kind", "Pod"}});
  ASSERT_TRUE(created.ok()) << created.error().message();
  EXPECT_GE(Clock::now() - started, std::chrono::milliseconds(900));
  EXPECT_EQ(api_->requests("POST", kPods).size(), 2u);
}

TEST_F(RestClientTest, Retries503ForIdempotentVerbsOnly) {
  api_->on_sequence("GET", kPods,
                    {fixture(503, "status_503.json"), fixture(503, "status_503.json"),
                     fixture(200, "pod_list.json")});
  api_->on("POST", kPods, fixture(503, "status_503.json"));
  api_->on("PATCH", kScale, fixture(503, "status_503.json"));
  auto c = client();
  auto answer = c->call(request("GET", kPods));
  ASSERT_TRUE(answer.ok()) << answer.error().message();
  EXPECT_EQ(answer.value().attempts, 3);

  auto created = c->create(kPods, {{"kind", "Pod"}});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.code(), 503);
  EXPECT_EQ(api_->requests("POST", kPods).size(), 1u);  // a POST may have run: not repeated

  auto json_patch = c->patch(kScale, nlohmann::json::array(), kJsonPatch);
  EXPECT_FALSE(json_patch.ok());
  EXPECT_EQ(api_->requests("PATCH", kScale).size(), 1u);
}

TEST_F(RestClientTest, GivesUpAfterTheAttemptBound) {
  api_->on("GET", kPods, fixture(503, "status_503.json"));
  auto c = client();
  auto answer = c->get(kPods);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.code(), 503);
  EXPECT_EQ(api_->requests("GET", kPods).size(), 5u);
  EXPECT_EQ(answer.error().message(),
            "list pods in namespace shop: the server is currently unable to handle the request "
            "(ServiceUnavailable, 503) (after 5 attempts)");
}

TEST_F(RestClientTest, DoesNotWaitPastTheTotalTimeout) {
  api_->on("GET", kPods, fixture(429, "status_429.json").header("Retry-After", "30"));
  options_.total_timeout = std::chrono::milliseconds(500);
  auto c = client();
  auto started = Clock::now();
  auto answer = c->get(kPods);
  EXPECT_FALSE(answer.ok());
  EXPECT_EQ(answer.code(), 429);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ(api_->requests().size(), 1u);
}

TEST_F(RestClientTest, AStaticTokenRejectedWith401IsNotRetried) {
  api_->require_bearer("other");
  auto c = client();
  auto answer = c->get(kPods);
  ASSERT_FALSE(answer.ok());
  EXPECT_TRUE(answer.api_error().is_unauthorized());
  EXPECT_EQ(answer.error().message(),
            "list pods in namespace shop: unauthorized (401): the API server rejected the "
            "credentials (kubeconfig /x/config, context kind-kind); they may have expired or "
            "belong to another cluster");
  EXPECT_EQ(api_->requests().size(), 1u);
}

TEST_F(RestClientTest, ConnectionFailuresAreRetriedThenReported) {
  uint16_t port = api_->port();
  api_.reset();  // nothing listens there now
  config_.server = "http://127.0.0.1:" + std::to_string(port);
  options_.max_attempts = 3;
  auto c = client();
  auto answer = c->get(kPods);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.code(), 0);
  EXPECT_TRUE(answer.api_error().no_answer());
  EXPECT_EQ(
      answer.error().message().rfind("list pods in namespace shop: cannot reach " + config_.server +
                                         " (kubeconfig /x/config, context kind-kind): ",
                                     0),
      0u)
      << answer.error().message();
  EXPECT_NE(answer.error().message().find("(after 3 attempts)"), std::string::npos);
}

TEST_F(RestClientTest, EveryAttemptHasATimeout) {
  api_->on("GET", kPods, [](const testing::RecordedRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    return FakeResponse::json(200, nlohmann::json::object());
  });
  options_.timeout = std::chrono::milliseconds(200);
  options_.max_attempts = 2;
  auto c = client();
  auto started = Clock::now();
  auto answer = c->get(kPods);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.code(), 0);
  EXPECT_NE(answer.error().message().find("Operation timed out"), std::string::npos)
      << answer.error().message();
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(750));  // 2 x 200 ms, not 800
}

TEST_F(RestClientTest, RawBodiesAndWarningsAreAvailable) {
  api_->on("GET", std::string(kPod) + "/log",
           FakeResponse{200, "line 1\nline 2\n", "text/plain", {}});
  api_->on("GET", "/apis/autoscaling/v2beta2/namespaces/shop/horizontalpodautoscalers",
           FakeResponse::json(200, {{"items", nlohmann::json::array()}})
               .header("Warning",
                       "299 - \"autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated\""));
  auto c = client();
  auto log = c->call(request("GET", std::string(kPod) + "/log", Query{{"container", "server"}}));
  ASSERT_TRUE(log.ok()) << log.error().message();
  EXPECT_EQ(log.value().body, "line 1\nline 2\n");
  EXPECT_EQ(log.value().content_type, "text/plain");
  EXPECT_FALSE(c->get(std::string(kPod) + "/log").ok());  // not JSON
  auto old =
      c->call(request("GET", "/apis/autoscaling/v2beta2/namespaces/shop/horizontalpodautoscalers"));
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old.value().warnings.size(), 1u);
  EXPECT_NE(old.value().warnings[0].find("deprecated"), std::string::npos);

  options_.max_body = 10;
  auto small = client();
  auto too_big = small->call(request("GET", std::string(kPod) + "/log"));
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.error().message().find("larger than 10 bytes"), std::string::npos);
}

TEST(Retryable, FollowsTheVerbAndTheFailure) {
  RestRequest get = request("GET", "/x");
  RestRequest post = request("POST", "/x");
  RestRequest merge = request("PATCH", "/x", {}, "{}", kMergePatch);
  RestRequest strategic = request("PATCH", "/x", {}, "{}", kStrategicMergePatch);
  RestRequest json_patch = request("PATCH", "/x", {}, "[]", kJsonPatch);
  RestRequest del = request("DELETE", "/x");
  for (int code : {429, 500, 502, 503, 504}) {
    EXPECT_TRUE(retryable(get, code, CURLE_OK)) << code;
    EXPECT_TRUE(retryable(merge, code, CURLE_OK)) << code;
    EXPECT_TRUE(retryable(strategic, code, CURLE_OK)) << code;
    EXPECT_TRUE(retryable(del, code, CURLE_OK)) << code;
  }
  EXPECT_TRUE(retryable(post, 429, CURLE_OK));
  EXPECT_FALSE(retryable(post, 503, CURLE_OK));
  EXPECT_FALSE(retryable(json_patch, 503, CURLE_OK));
  for (int code : {400, 401, 403, 404, 409, 410, 422, 501}) {
    EXPECT_FALSE(retryable(get, code, CURLE_OK)) << code;
  }
  EXPECT_TRUE(retryable(post, 0, CURLE_COULDNT_CONNECT));  // nothing was sent
  EXPECT_FALSE(retryable(post, 0, CURLE_OPERATION_TIMEDOUT));
  EXPECT_TRUE(retryable(get, 0, CURLE_OPERATION_TIMEDOUT));
  EXPECT_FALSE(retryable(get, 0, CURLE_PEER_FAILED_VERIFICATION));  // configuration, not luck
}

// The kubelet rotates a projected token by writing a new folder and swapping the ..data
// symlink; the token file is re-read every token_file_period and at once after a 401.
class TokenRotation {
 public:
  explicit TokenRotation(const TempDir& dir) : dir_(dir) {}
  void write(const std::string& token) {
    namespace fs = std::filesystem;
    std::string version = "..v" + std::to_string(++n_);
    dir_.write(version + "/token", token);
    std::string tmp = dir_.file("..data_tmp");
    fs::remove(tmp);
    fs::create_directory_symlink(version, tmp);
    fs::rename(tmp, dir_.file("..data"));  // atomic, as the kubelet does it
    if (!fs::is_symlink(dir_.file("token"))) fs::create_symlink("..data/token", dir_.file("token"));
  }

 private:
  const TempDir& dir_;
  int n_ = 0;
};

// In a pod: the service account config, pointed at the fake server (which speaks plain HTTP).
TEST_F(RestClientTest, ARotatedServiceAccountTokenIsReadAgain) {
  TempDir dir;
  TokenRotation rotation(dir);
  rotation.write("token-one\n");
  dir.write("namespace", "shop");
  api_->on("GET", "/version", FakeResponse::json(200, {{"gitVersion", "v1.30.0"}}));
  InClusterOptions in_cluster;
  in_cluster.dir = dir.path();
  in_cluster.env =
      env_from_map({{"KUBERNETES_SERVICE_HOST", "127.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
  auto pod = in_cluster_config(in_cluster);
  ASSERT_TRUE(pod.ok()) << pod.error().message();
  config_ = pod.value();
  EXPECT_EQ(config_.token_file, dir.file("token"));
  config_.server = api_->url();
  CredentialsOptions credentials_options;
  credentials_options.token_file_period = std::chrono::milliseconds(200);
  auto credentials = std::make_shared<Credentials>(config_, credentials_options);
  auto c = RestClient::create(credentials, options_).value();
  ASSERT_TRUE(c->get("/version").ok());
  rotation.write("token-two\n");
  ASSERT_TRUE(c->get("/version").ok());  // within the period: the cached token
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  ASSERT_TRUE(c->get("/version").ok());
  auto sent = api_->requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].header("Authorization"), "Bearer token-one");
  EXPECT_EQ(sent[1].header("Authorization"), "Bearer token-one");
  EXPECT_EQ(sent[2].header("Authorization"), "Bearer token-two");
}

TEST_F(RestClientTest, A401ForcesTheTokenFileToBeReadAgain) {
  TempDir dir;
  TokenRotation rotation(dir);
  rotation.write("old");
  api_->on("GET", "/version", FakeResponse::json(200, {{"gitVersion", "v1.30.0"}}));
  config_.bearer_token.clear();
  config_.token_file = dir.file("token");
  CredentialsOptions credentials_options;
  credentials_options.token_file_period = std::chrono::hours(1);
  auto c = RestClient::create(std::make_shared<Credentials>(config_, credentials_options), options_)
               .value();
  ASSERT_TRUE(c->get("/version").ok());
  rotation.write("new");
  api_->require_bearer("new");  // the API server no longer takes the old one
  auto answer = c->call(request("GET", "/version"));
  ASSERT_TRUE(answer.ok()) << answer.error().message();
  EXPECT_EQ(answer.value().attempts, 2);
  auto sent = api_->requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1].header("Authorization"), "Bearer old");
  EXPECT_EQ(sent[2].header("Authorization"), "Bearer new");
}

}  // namespace
}  // namespace stampede::kube
