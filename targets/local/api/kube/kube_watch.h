// WatchHub: every watch of the local Kubernetes API, served by one thread. A watch without a
// resourceVersion (or "0") first gets ADDED for every current object, then the changes; from
// resourceVersion N it replays the history after N and goes on live; N older than the history
// gets one ERROR event (a 410 Expired Status) and ends. Selectors are applied per change, so an
// object that stops matching is DELETED to the watcher and one that starts matching ADDED, as
// the API server's watch cache does. With allowWatchBookmarks a BOOKMARK goes out every ~5 s
// and before a normal end; timeoutSeconds ends the watch cleanly. A watcher that falls more
// than `max_queued_bytes` behind is closed (the client re-lists, as with the API server).
// Changes reach watchers as soon as the store reports them. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/http/server.h"
#include "targets/local/api/kube/kube_filter.h"
#include "targets/local/api/kube/kube_store.h"
#include "targets/local/api/kube/kube_table.h"

namespace stampede::local::kube {

// One watch as asked for; a plain value handed to the hub.
struct WatchRequest {
  const ResourceInfo* resource = nullptr;
  ObjectFilter filter;
  std::optional<uint64_t> from_rv;  // nullopt: ADDED for every current object first
  bool bookmarks = false;
  std::chrono::steady_clock::time_point deadline;
  bool table = false;  // events carry meta.k8s.io Tables of one row
  TableOptions table_options;
};

// The hub (see above): owns its watchers and the thread that serves them; thread-safe.
class WatchHub {
 public:
  explicit WatchHub(ObjectStore& store, size_t max_queued_bytes = size_t{16} << 20,
                    std::chrono::milliseconds bookmark_every = std::chrono::seconds(5));
  ~WatchHub();  // stop()
  WatchHub(const WatchHub&) = delete;
  WatchHub& operator=(const WatchHub&) = delete;

  // Starts a watch: its events are written to the returned stream from the hub's thread.
  std::shared_ptr<http::ResponseStream> watch(WatchRequest request);
  // New changes are in the store: wakes the hub. Called from the store's change callback.
  void notify();
  // Ends every watch cleanly and stops the thread; idempotent.
  void stop();
  // Watches being served.
  size_t size() const;

 private:
  struct Watcher {
    WatchRequest request;
    std::string store_key;
    std::shared_ptr<http::ResponseStream> stream;
    uint64_t cursor = 0;
    bool initial = true;  // the initial ADDED events (or the replay's start) are due
    bool columns_sent = false;
    std::chrono::steady_clock::time_point next_bookmark;
  };
  void run();
  // Serves one watcher; false when it is over (closed, ended, expired or too slow).
  bool serve(Watcher& w, std::chrono::steady_clock::time_point now);
  bool send(Watcher& w, const char* type, const ObjectForm& object);
  bool send_status(Watcher& w, const nlohmann::json& status);
  void bookmark(Watcher& w);

  ObjectStore& store_;
  const size_t max_queued_bytes_;
  const std::chrono::milliseconds bookmark_every_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopped_ = false;           // guarded by mu_
  bool dirty_ = false;             // guarded by mu_
  std::vector<Watcher> incoming_;  // guarded by mu_
  size_t count_ = 0;               // guarded by mu_
  std::list<Watcher> active_;      // the hub thread's own
  std::thread thread_;
};

}  // namespace stampede::local::kube
