// Watcher: list+watch of several collections on one background thread — client-go's Reflector,
// over curl multi. Per collection: LIST (paged with limit/continue), then WATCH from the list's
// resourceVersion with bookmarks; a watch that ends is resumed from the last resourceVersion
// seen; 410 Gone (as the HTTP status or as an ERROR event) re-lists and hands the fresh list to
// on_list so the consumer can diff it against what it knew; connection failures, 429 and 5xx
// reconnect with backoff (100 ms doubling to 5 s, jittered); a 401 makes the Credentials re-read
// their token or re-run the plugin. Everything delivered carries observed_ns: CLOCK_MONOTONIC
// (the run's clock, engine/core/clock.h) when its bytes arrived, finer than the API's seconds.
//
// Callbacks run on the watch thread, one at a time, and must not block long (they hold up every
// collection). start() once; stop() from any thread (from a callback it only asks the thread to
// stop); the destructor stops — never destroy a Watcher from one of its callbacks.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "targets/kubernetes/api_error.h"
#include "targets/kubernetes/credentials.h"
#include "targets/kubernetes/curl_handle.h"
#include "targets/kubernetes/transport.h"
#include "targets/kubernetes/watch_decoder.h"

namespace stampede::kube {

// CLOCK_MONOTONIC in nanoseconds: the clock observed_ns is on.
int64_t monotonic_now_ns();

struct WatchCollection {
  std::string name;            // names it in callbacks and messages: "pods"
  std::string path;            // the collection: "/api/v1/namespaces/shop/pods"
  std::string label_selector;  // "" = all ("app=cart", LabelSelector::to_string())
  std::string field_selector;  // "" = all
};

// A change. type is kAdded, kModified or kDeleted (bookmarks and errors are handled inside).
struct WatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  nlohmann::json object;  // the object after the change (before it, for kDeleted)
  int64_t observed_ns = 0;
};

struct WatchCallbacks {
  // The whole collection: after the first LIST and after every re-list. Items carry kind and
  // apiVersion (the API leaves them out of list items; they are added from the list's).
  // observed_ns: when the first byte of the first page arrived.
  std::function<void(const std::string& collection, const std::vector<nlohmann::json>& items,
                     const std::string& resource_version, int64_t observed_ns)>
      on_list;
  std::function<void(const std::string& collection, const WatchEvent& event)> on_event;
  // Something went wrong and is being retried (one line; for logs and warnings).
  std::function<void(const std::string& collection, const std::string& message)> on_error;
};

struct WatchOptions {
  int page_size = 500;  // LIST limit; 0 = unpaged
  // The server ends each watch after timeoutSeconds, drawn from [watch_timeout, 2*watch_timeout)
  // as client-go does, and the watch is resumed; a watch silent for timeoutSeconds + 30 s is
  // presumed dead and reconnected.
  std::chrono::seconds watch_timeout{300};
  std::chrono::milliseconds list_timeout{60000};  // one LIST page
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  size_t max_list_bytes = 256 << 20;
  size_t max_event_bytes = 16 << 20;
  std::string user_agent = "stampede";
  std::string forbidden_hint = ErrorContext{}.forbidden_hint;  // appended to 403 messages
};

class Watcher {
 public:
  Watcher(std::shared_ptr<Credentials> credentials, std::vector<WatchCollection> collections,
          WatchCallbacks callbacks, WatchOptions options = {});
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Starts the thread. Errors: called twice, no collections, a bad server URL, curl init.
  Status start();
  // Stops the thread and closes every connection; returns at once when idle (the thread is woken
  // with curl_multi_wakeup), else when a running credential plugin finishes. Idempotent.
  void stop();
  // Waits until every collection has its first list. Errors: timed out or stopped, naming the
  // collections still missing and their last error.
  Status wait_synced(std::chrono::milliseconds timeout);
  // True once every collection has its first list.
  bool synced() const;

 private:
  struct Collection;
  void run();
  void start_request(Collection& c);
  void finish(Collection& c, CURLcode result);
  void list_done(Collection& c, CURLcode result, int code);
  void watch_done(Collection& c, CURLcode result, int code);
  void on_line(Collection& c, std::string_view line, int64_t now_ns);
  void retry_later(Collection& c, const std::string& message);
  void report(Collection& c, const std::string& message);
  std::string describe_http_error(Collection& c, int code);
  static size_t on_data(char* data, size_t size, size_t count, void* user);

  std::shared_ptr<Credentials> credentials_;
  WatchCallbacks callbacks_;
  WatchOptions options_;
  std::vector<std::unique_ptr<Collection>> collections_;  // touched by the watch thread only
  std::unique_ptr<Transport> transport_;
  CurlMulti multi_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex stop_mu_;    // serialises stop() and start()
  bool started_ = false;  // guarded by stop_mu_

  mutable std::mutex mu_;
  std::condition_variable synced_cv_;
  size_t synced_count_ = 0;               // guarded by mu_
  std::vector<bool> synced_;              // guarded by mu_; one per collection
  std::vector<std::string> last_errors_;  // guarded by mu_; one per collection
};

}  // namespace stampede::kube
