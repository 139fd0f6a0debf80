// List+watch against the fake API server: the first list, events in pieces, bookmarks, resuming
// after a normal end, re-listing on 410 (as an ERROR event, as HTTP, for an expired continue
// token), reconnecting after dropped connections and 401s, prompt stops, arrival times.
#include "targets/kubernetes/watch.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "common/testing/temp_dir.h"
#include "targets/kubernetes/testing/fake_api_server.h"
#include "targets/kubernetes/testing/fixtures.h"

namespace stampede::kube {
namespace {

using testing::FakeApiServer;
using testing::FakeResponse;
using testing::fixture_json;
using testing::fixture_lines;
using testing::fixture_text;
using testing::RecordedRequest;

constexpr const char* kPods = "/api/v1/namespaces/shop/pods";
constexpr const char* kDeployments = "/apis/apps/v1/namespaces/shop/deployments";
constexpr auto kWait = std::chrono::seconds(10);

// What the callbacks saw, for the test thread to wait on.
class Recorder {
 public:
  struct List {
    std::string collection;
    std::vector<nlohmann::json> items;
    std::string resource_version;
    int64_t observed_ns;
  };
  struct Event {
    std::string collection;
    WatchEvent event;
  };

  WatchCallbacks callbacks() {
    WatchCallbacks cb;
    cb.on_list = [this](const std::string& c, const std::vector<nlohmann::json>& items,
                        const std::string& rv, int64_t observed) {
      std::lock_guard lock(mu_);
      lists_.push_back({c, items, rv, observed});
      changed_.notify_all();
    };
    cb.on_event = [this](const std::string& c, const WatchEvent& e) {
      std::lock_guard lock(mu_);
      events_.push_back({c, e});
      changed_.notify_all();
    };
    cb.on_error = [this](const std::string& c, const std::string& message) {
      std::lock_guard lock(mu_);
      errors_.push_back(c + ": " + message);
      changed_.notify_all();
    };
    return cb;
  }
  // Waits (bounded) until `done` holds over what was recorded.
  bool wait(const std::function<bool(const Recorder&)>& done) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, kWait, [&] { return done(*this); });
  }
  std::vector<List> lists(const std::string& c) const {
    std::lock_guard lock(mu_);
    return lists_of(c);
  }
  std::vector<Event> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  std::vector<std::string> errors() const {
    std::lock_guard lock(mu_);
    return errors_;
  }
  // For wait() predicates (called with the lock held).
  size_t list_count(const std::string& c) const { return lists_of(c).size(); }
  size_t event_count() const { return events_.size(); }
  size_t error_count() const { return errors_.size(); }

 private:
  std::vector<List> lists_of(const std::string& c) const {
    std::vector<List> out;
    for (const auto& l : lists_) {
      if (l.collection == c) out.push_back(l);
    }
    return out;
  }
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<List> lists_;
  std::vector<Event> events_;
  std::vector<std::string> errors_;
};

std::string name_of(const nlohmann::json& object) {
  return object.value("/metadata/name"_json_pointer, std::string());
}

// A pod list answer with its resourceVersion set to `rv`.
FakeResponse pod_list(const std::string& rv) {
  nlohmann::json list = fixture_json("pod_list.json");
  list["metadata"]["resourceVersion"] = rv;
  return FakeResponse::json(200, list);
}

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = FakeApiServer::start();
    ASSERT_TRUE(server.ok()) << server.error().message();
    api_ = std::move(server).value();
    api_->on("GET", kPods, pod_list("48213"));
    api_->on("GET", kDeployments,
             FakeResponse{200, fixture_text("deployment_list.json"), "application/json", {}});
    config_.server = api_->url();
    config_.source = "kubeconfig /x/config, context kind-kind";
    config_.bearer_token = "tok";
    options_.initial_backoff = std::chrono::milliseconds(20);
    options_.max_backoff = std::chrono::milliseconds(200);
  }
  void TearDown() override {
    if (watcher_) watcher_->stop();
  }
  void start(std::vector<WatchCollection> collections = {{"pods", kPods, "", ""},
                                                         {"deployments", kDeployments, "", ""}}) {
    watcher_ = std::make_unique<Watcher>(std::make_shared<Credentials>(config_, credentials_),
                                         collections, recorder_.callbacks(), options_);
    ASSERT_TRUE(watcher_->start().ok());
    Status synced = watcher_->wait_synced(kWait);
    ASSERT_TRUE(synced.ok()) << synced.error().message();
    for (const auto& c : collections) ASSERT_TRUE(api_->wait_for_watches(c.path, 1, kWait));
  }
  // Waits for the n-th watch request of `path` (1-based) and returns it.
  RecordedRequest nth_watch(const std::string& path, size_t n) {
    EXPECT_TRUE(api_->wait_for_watches(path, n, kWait)) << "watch #" << n << " of " << path;
    auto all = api_->watch_requests(path);
    return all.size() >= n ? all[n - 1] : RecordedRequest{};
  }
  size_t lists_of_pods() {
    size_t n = 0;
    for (const auto& r : api_->requests("GET", kPods)) n += r.is_watch() ? 0 : 1;
    return n;
  }

  std::unique_ptr<FakeApiServer> api_;
  RestConfig config_;
  CredentialsOptions credentials_;
  WatchOptions options_;
  Recorder recorder_;
  std::unique_ptr<Watcher> watcher_;
};

TEST_F(WatchTest, ListsThenWatchesFromTheListsResourceVersion) {
  int64_t before = monotonic_now_ns();
  start();
  auto lists = recorder_.lists("pods");
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0].resource_version, "48213");
  ASSERT_EQ(lists[0].items.size(), 2u);
  EXPECT_EQ(name_of(lists[0].items[0]), "cartservice-6d9f7c5b8d-x7k2p");
  // List items come without kind/apiVersion; the watcher gives them the list's.
  EXPECT_EQ(lists[0].items[0]["kind"], "Pod");
  EXPECT_EQ(lists[0].items[0]["apiVersion"], "v1");
  EXPECT_GE(lists[0].observed_ns, before);
  EXPECT_LE(lists[0].observed_ns, monotonic_now_ns());
  auto deployments = recorder_.lists("deployments");
  ASSERT_EQ(deployments.size(), 1u);
  EXPECT_EQ(deployments[0].items[0]["kind"], "Deployment");
  EXPECT_EQ(deployments[0].items[0]["apiVersion"], "apps/v1");

  auto list_request = api_->requests("GET", kPods)[0];
  EXPECT_EQ(list_request.param("limit"), "500");
  EXPECT_EQ(list_request.header("Authorization"), "Bearer tok");
  RecordedRequest watch = nth_watch(kPods, 1);
  EXPECT_EQ(watch.param("watch"), "1");
  EXPECT_EQ(watch.param("resourceVersion"), "48213");
  EXPECT_EQ(watch.param("allowWatchBookmarks"), "true");
  int timeout = std::stoi(watch.param("timeoutSeconds"));
  EXPECT_GE(timeout, 300);
  EXPECT_LT(timeout, 600);
  EXPECT_EQ(watch.header("Authorization"), "Bearer tok");
  EXPECT_TRUE(recorder_.errors().empty());
}

TEST_F(WatchTest, DeliversEventsSplitAcrossChunksAndSeveralPerChunk) {
  start();
  auto lines = fixture_lines("watch_pods.jsonl");
  const std::string& added = lines[0];
  // One event in three pieces...
  api_->push_watch_raw(kPods, added.substr(0, 100));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  api_->push_watch_raw(kPods, added.substr(100, 2000));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  int64_t before_last_piece = monotonic_now_ns();
  api_->push_watch_raw(kPods, added.substr(2100) + "\n");
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.event_count() == 1; }));
  int64_t after = monotonic_now_ns();
  // ... then two in one chunk.
  api_->push_watch_raw(kPods, lines[1] + "\n" + lines[2] + "\n");
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.event_count() == 3; }));
  auto events = recorder_.events();
  EXPECT_EQ(events[0].event.type, WatchEventType::kAdded);
  EXPECT_EQ(events[1].event.type, WatchEventType::kModified);
  EXPECT_EQ(events[2].event.type, WatchEventType::kModified);
  for (const auto& e : events) {
    EXPECT_EQ(e.collection, "pods");
    EXPECT_EQ(name_of(e.event.object), "cartservice-6d9f7c5b8d-qz9mn");
  }
  EXPECT_EQ(events[2].event.object["metadata"]["resourceVersion"], "48241");
  // Stamped when the bytes that completed it arrived, on the monotonic clock.
  EXPECT_GE(events[0].event.observed_ns, before_last_piece);
  EXPECT_LE(events[0].event.observed_ns, after);
  EXPECT_GE(events[1].event.observed_ns, after);
  EXPECT_LE(events[1].event.observed_ns, events[2].event.observed_ns);
  EXPECT_TRUE(recorder_.errors().empty());
}

TEST_F(WatchTest, BookmarksAdvanceTheResourceVersionSilently) {
  start();
  auto lines = fixture_lines("watch_pods.jsonl");
  api_->push_watch(kPods, lines[3]);  // BOOKMARK at 48290
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(recorder_.events().size(), 0u);
  api_->end_watches(kPods);
  EXPECT_EQ(nth_watch(kPods, 2).param("resourceVersion"), "48290");
  EXPECT_EQ(lists_of_pods(), 1u);
}

TEST_F(WatchTest, AWatchThatEndsIsResumedFromTheLastResourceVersion) {
  start();
  auto lines = fixture_lines("watch_pods.jsonl");
  api_->push_watch(kPods, lines[0]);  // ADDED at 48230
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.event_count() == 1; }));
  api_->end_watches(kPods);  // the server's timeoutSeconds
  EXPECT_EQ(nth_watch(kPods, 2).param("resourceVersion"), "48230");
  api_->push_watch(kPods, lines[4]);  // DELETED at 48301, on the resumed watch
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.event_count() == 2; }));
  EXPECT_EQ(recorder_.events()[1].event.type, WatchEventType::kDeleted);
  api_->end_watches(kPods);
  EXPECT_EQ(nth_watch(kPods, 3).param("resourceVersion"), "48301");
  EXPECT_EQ(lists_of_pods(), 1u);  // resumed, never re-listed
  EXPECT_EQ(recorder_.lists("pods").size(), 1u);
}

TEST_F(WatchTest, AnExpiredErrorEventMakesItListAgain) {
  start();
  api_->on("GET", kPods, pod_list("48400"));                      // what the second list will say
  api_->push_watch(kPods, fixture_lines("watch_pods.jsonl")[5]);  // ERROR 410 Expired
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.list_count("pods") == 2; }));
  auto lists = recorder_.lists("pods");
  EXPECT_EQ(lists[1].resource_version, "48400");
  EXPECT_EQ(lists[1].items.size(), 2u);  // the fresh state, for the consumer to diff
  EXPECT_GT(lists[1].observed_ns, lists[0].observed_ns);
  EXPECT_EQ(nth_watch(kPods, 2).param("resourceVersion"), "48400");
  EXPECT_EQ(recorder_.events().size(), 0u);
  EXPECT_EQ(recorder_.lists("deployments").size(), 1u);  // the other collection is untouched
}

TEST_F(WatchTest, AGoneAnswerToTheWatchMakesItListAgain) {
  start();
  api_->on("GET", kPods, pod_list("48500"));
  api_->reply_to_next_watch(
      kPods, FakeResponse{410, fixture_text("status_410.json"), "application/json", {}});
  api_->end_watches(kPods);  // the reconnection is answered 410 Gone
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.list_count("pods") == 2; }));
  EXPECT_EQ(recorder_.lists("pods")[1].resource_version, "48500");
  EXPECT_EQ(nth_watch(kPods, 3).param("resourceVersion"), "48500");
}

TEST_F(WatchTest, ReconnectsWithBackoffAfterTheConnectionDrops) {
  start();
  api_->push_watch(kPods, fixture_lines("watch_pods.jsonl")[0]);  // ADDED at 48230
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.event_count() == 1; }));
  size_t watches_before = api_->watch_requests(kPods).size();
  // Like an API server restart: every connection cut, nothing listening for 400 ms.
  ASSERT_TRUE(api_->drop_connections(std::chrono::milliseconds(400)).ok());
  RecordedRequest resumed = nth_watch(kPods, watches_before + 1);
  EXPECT_EQ(resumed.param("resourceVersion"), "48230");  // resumed, not re-listed
  EXPECT_EQ(lists_of_pods(), 1u);
  // First the cut stream, then (while nothing listens) refused connections, all retried.
  std::vector<std::string> errors;
  for (const auto& e : recorder_.errors()) {
    if (e.rfind("pods: ", 0) == 0) errors.push_back(e);
  }
  ASSERT_GE(errors.size(), 2u);
  EXPECT_EQ(errors[0], "pods: watch pods: the connection to " + api_->url() +
                           " was lost: transfer closed with outstanding read data remaining; "
                           "reconnecting from resourceVersion 48230");
  EXPECT_EQ(errors[1].rfind("pods: watch pods: cannot reach " + api_->url() +
                                " (kubeconfig /x/config, context kind-kind): ",
                            0),
            0u)
      << errors[1];
  // With backoff (20 ms doubling to 200 ms) a 400 ms outage costs a handful of tries, not hundreds.
  EXPECT_LE(errors.size(), 15u);
  // Events flow again on the new connection.
  api_->push_watch(kPods, fixture_lines("watch_pods.jsonl")[1]);
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.event_count() == 2; }));
}

TEST_F(WatchTest, StopReturnsPromptlyWhileWatchesAreIdle) {
  start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // idle in curl_multi_poll
  auto started = std::chrono::steady_clock::now();
  watcher_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  watcher_->stop();  // idempotent
  EXPECT_TRUE(api_->wait_for_watches(kPods, 1));
}

TEST_F(WatchTest, ListsInPagesAndStartsOverWhenTheContinueTokenExpires) {
  auto items = fixture_json("pod_list.json")["items"];
  int expired = 1;  // the first continue is answered 410
  api_->on("GET", kPods, [&, items](const RecordedRequest& r) {
    nlohmann::json page = {{"kind", "PodList"}, {"apiVersion", "v1"}};
    if (r.param("continue").empty()) {
      page["metadata"] = {{"resourceVersion", "48213"},
                          {"continue", "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ"}};
      page["items"] = {items[0]};
    } else if (expired-- > 0) {
      return FakeResponse::status(410,
                                  "The provided continue parameter is too old to display a "
                                  "consistent list result.",
                                  "Expired");
    } else {
      page["metadata"] = {{"resourceVersion", "48213"}};
      page["items"] = {items[1]};
    }
    return FakeResponse::json(200, page);
  });
  options_.page_size = 1;
  start({{"pods", kPods, "app=cartservice", "status.phase=Running"}});
  auto lists = recorder_.lists("pods");
  ASSERT_EQ(lists.size(), 1u);
  ASSERT_EQ(lists[0].items.size(), 2u);
  EXPECT_EQ(name_of(lists[0].items[0]), "cartservice-6d9f7c5b8d-x7k2p");
  EXPECT_EQ(name_of(lists[0].items[1]), "cartservice-6d9f7c5b8d-m4v9t");
  auto requests = api_->requests("GET", kPods);
  ASSERT_GE(requests.size(), 5u);  // page 1, expired page 2, page 1 again, page 2, the watch
  EXPECT_EQ(requests[0].param("continue"), "");
  EXPECT_EQ(requests[1].param("continue"), "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ");
  EXPECT_EQ(requests[2].param("continue"), "");
  EXPECT_EQ(requests[3].param("continue"), "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ");
  for (const auto& r : requests) {
    EXPECT_EQ(r.param("labelSelector"), "app=cartservice");
    EXPECT_EQ(r.param("fieldSelector"), "status.phase=Running");
  }
}

TEST_F(WatchTest, WaitSyncedNamesWhatIsMissingAndWhy) {
  api_->on("GET", kPods,
           FakeResponse{403, fixture_text("status_403.json"), "application/json", {}});
  watcher_ = std::make_unique<Watcher>(
      std::make_shared<Credentials>(config_),
      std::vector<WatchCollection>{{"pods", kPods, "", ""}, {"deployments", kDeployments, "", ""}},
      recorder_.callbacks(), options_);
  ASSERT_TRUE(watcher_->start().ok());
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.error_count() >= 1; }));
  Status synced = watcher_->wait_synced(std::chrono::milliseconds(300));
  ASSERT_FALSE(synced.ok());
  EXPECT_EQ(synced.error().message().rfind(
                "watch: no first list within 300 ms of pods (list pods in namespace shop: "
                "forbidden (403): the credentials (kubeconfig /x/config, context kind-kind) may "
                "not \"list\" \"pods\" in namespace \"shop\"",
                0),
            0u)
      << synced.error().message();
  EXPECT_EQ(synced.error().message().find("deployments"), std::string::npos);
  EXPECT_FALSE(watcher_->synced());
  EXPECT_GE(lists_of_pods(), 2u);  // it keeps trying, with backoff
}

TEST_F(WatchTest, A401MakesItReadTheRotatedTokenAndReconnect) {
  stampede::TempDir dir;
  dir.write("token", "first");
  config_.bearer_token.clear();
  config_.token_file = dir.file("token");
  credentials_.token_file_period = std::chrono::hours(1);
  api_->require_bearer("first");
  start({{"pods", kPods, "", ""}});
  dir.write("token", "second");
  api_->require_bearer("second");
  api_->end_watches(kPods);  // the next watch is sent with "first" and refused
  RecordedRequest refused = nth_watch(kPods, 2);
  EXPECT_EQ(refused.header("Authorization"), "Bearer first");
  RecordedRequest accepted = nth_watch(kPods, 3);
  EXPECT_EQ(accepted.header("Authorization"), "Bearer second");
  EXPECT_EQ(accepted.param("resourceVersion"), "48213");
  EXPECT_EQ(lists_of_pods(), 1u);
}

TEST_F(WatchTest, ABrokenStreamIsReportedAndResumed) {
  start({{"pods", kPods, "", ""}});
  auto lines = fixture_lines("watch_pods.jsonl");
  api_->push_watch(kPods, "{\"type\":\"ADDED\",\"object\":");  // not JSON
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.error_count() == 1; }));
  EXPECT_NE(recorder_.errors()[0].find("watch pods: not a JSON object"), std::string::npos)
      << recorder_.errors()[0];
  EXPECT_EQ(nth_watch(kPods, 2).param("resourceVersion"), "48213");
  api_->push_watch_raw(kPods, lines[0].substr(0, 50));  // ends in the middle of an event
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  api_->end_watches(kPods);
  ASSERT_TRUE(recorder_.wait([](const Recorder& r) { return r.error_count() == 2; }));
  EXPECT_NE(recorder_.errors()[1].find("the stream ended in the middle of an event"),
            std::string::npos);
  EXPECT_EQ(nth_watch(kPods, 3).param("resourceVersion"), "48213");
  EXPECT_EQ(recorder_.events().size(), 0u);
}

TEST(WatchLineBuffer, ReassemblesLines) {
  WatchLineBuffer buffer;
  std::vector<std::string> lines;
  auto sink = [&](std::string_view line) { lines.emplace_back(line); };
  buffer.feed("{\"a\"", sink);
  EXPECT_TRUE(lines.empty());
  EXPECT_EQ(buffer.partial_size(), 4u);
  buffer.feed(":1}\n{\"b\":2}\r\n\n  \n{\"c\"", sink);
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  buffer.feed(":3}\n", sink);
  EXPECT_EQ(lines.back(), "{\"c\":3}");
  EXPECT_EQ(buffer.partial_size(), 0u);
}

TEST(ParseWatchEvent, ReadsEveryTypeOfTheFixture) {
  auto lines = fixture_lines("watch_pods.jsonl");
  const WatchEventType types[] = {WatchEventType::kAdded,    WatchEventType::kModified,
                                  WatchEventType::kModified, WatchEventType::kBookmark,
                                  WatchEventType::kDeleted,  WatchEventType::kError};
  ASSERT_EQ(lines.size(), 6u);
  for (size_t i = 0; i < lines.size(); ++i) {
    auto event = parse_watch_event(lines[i]);
    ASSERT_TRUE(event.ok()) << event.error().message();
    EXPECT_EQ(event.value().type, types[i]) << i;
  }
  EXPECT_EQ(parse_watch_event(R"({"type":"SYNC","object":{}})").error().message(),
            "unknown event type \"SYNC\"");
  EXPECT_EQ(parse_watch_event(R"({"type":"ADDED"})").error().message(),
            "ADDED event without an object");
  EXPECT_FALSE(parse_watch_event("[]").ok());
}

}  // namespace
}  // namespace stampede::kube
