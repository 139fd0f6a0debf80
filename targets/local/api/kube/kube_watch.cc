#include "targets/local/api/kube/kube_watch.h"

#include <time.h>

#include "targets/kubernetes/api_status.h"

namespace stampede::local::kube {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kChangesPerRound = 2000;

int64_t wall_now_ms() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

// The form of `object` with its resourceVersion set to `rv` (a DELETED-by-selector event's).
FormPtr at_version(const ObjectForm& object, uint64_t rv) {
  json copy = json::parse(object.text, nullptr, false);
  if (!copy.is_object()) return nullptr;
  copy["metadata"]["resourceVersion"] = std::to_string(rv);
  return make_form(copy);
}

}  // namespace

WatchHub::WatchHub(ObjectStore& store, size_t max_queued_bytes,
                   std::chrono::milliseconds bookmark_every)
    : store_(store), max_queued_bytes_(max_queued_bytes), bookmark_every_(bookmark_every) {
  thread_ = std::thread([this] { run(); });
}

WatchHub::~WatchHub() {
  stop();
}

std::shared_ptr<http::ResponseStream> WatchHub::watch(WatchRequest request) {
  Watcher w;
  w.store_key = store_key(*request.resource);
  w.request = std::move(request);
  w.stream = std::make_shared<http::ResponseStream>();
  w.next_bookmark = Clock::now() + bookmark_every_;
  auto stream = w.stream;
  std::lock_guard lock(mu_);
  if (stopped_) {
    stream->end();
    return stream;
  }
  incoming_.push_back(std::move(w));
  ++count_;
  dirty_ = true;
  wake_.notify_one();
  return stream;
}

void WatchHub::notify() {
  std::lock_guard lock(mu_);
  dirty_ = true;
  wake_.notify_one();
}

void WatchHub::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  for (Watcher& w : active_) w.stream->end();
  active_.clear();
  std::lock_guard lock(mu_);
  for (Watcher& w : incoming_) w.stream->end();
  incoming_.clear();
  count_ = 0;
}

size_t WatchHub::size() const {
  std::lock_guard lock(mu_);
  return count_;
}

bool WatchHub::send(Watcher& w, const char* type, const ObjectForm& object) {
  std::string line = std::string("{\"type\":\"") + type + "\",\"object\":";
  if (w.request.table) {
    json parsed = json::parse(object.text, nullptr, false);
    if (!parsed.is_object()) return true;
    TableOptions options = w.request.table_options;
    options.with_columns = !w.columns_sent;
    w.columns_sent = true;
    const std::string rv = parsed["metadata"].value("resourceVersion", "");
    line += make_table(*w.request.resource, {&parsed}, rv, wall_now_ms(), options)
                .dump(-1, ' ', false, json::error_handler_t::replace);
  } else {
    line += object.text;
  }
  return w.stream->write(line + "}\n");
}

bool WatchHub::send_status(Watcher& w, const json& status) {
  json event = {{"type", "ERROR"}, {"object", status}};
  return w.stream->write(event.dump() + "\n");
}

void WatchHub::bookmark(Watcher& w) {
  const ResourceInfo& r = *w.request.resource;
  json object = {{"kind", r.kind},
                 {"apiVersion", r.group_version()},
                 {"metadata", {{"resourceVersion", std::to_string(w.cursor)}}}};
  json event = {{"type", "BOOKMARK"}, {"object", object}};
  w.stream->write(event.dump() + "\n");
}

bool WatchHub::serve(Watcher& w, Clock::time_point now) {
  if (w.stream->closed()) return false;
  const ObjectFilter& filter = w.request.filter;
  if (w.initial) {
    w.initial = false;
    if (w.request.from_rv) {
      w.cursor = *w.request.from_rv;
    } else {
      FormListing listing = store_.list_forms(w.store_key);
      for (const FormPtr& o : listing.items) {
        if (filter.matches(*o) && !send(w, "ADDED", *o)) return false;
      }
      w.cursor = listing.rv;
    }
  }
  for (;;) {
    auto changes = store_.changes_after(w.cursor, kChangesPerRound);
    if (!changes.ok()) {
      send_status(w, stampede::kube::status_json(410, changes.error().message()));
      w.stream->end();
      return false;
    }
    for (const Change& c : changes.value()) {
      w.cursor = c.rv;
      if (c.resource != w.store_key) continue;
      bool now_matches = c.type != ChangeType::kDeleted && filter.matches(*c.object);
      bool matched = c.previous && filter.matches(*c.previous);
      bool ok = true;
      if (c.type == ChangeType::kDeleted) {
        if (matched) ok = send(w, "DELETED", *c.object);
      } else if (now_matches && matched) {
        ok = send(w, "MODIFIED", *c.object);
      } else if (now_matches) {
        ok = send(w, "ADDED", *c.object);
      } else if (matched) {
        FormPtr last = at_version(*c.previous, c.rv);
        if (last) ok = send(w, "DELETED", *last);
      }
      if (!ok) return false;
    }
    if (changes.value().size() < kChangesPerRound) break;
  }
  if (w.stream->pending_bytes() > max_queued_bytes_) {
    // Too slow to keep up: closed, as the API server closes an unresponsive watcher.
    w.stream->end();
    return false;
  }
  if (now >= w.request.deadline) {
    if (w.request.bookmarks) bookmark(w);
    w.stream->end();
    return false;
  }
  if (w.request.bookmarks && now >= w.next_bookmark) {
    bookmark(w);
    w.next_bookmark = now + bookmark_every_;
  }
  return true;
}

void WatchHub::run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      // Wake for changes and new watchers at once; otherwise every so often for the bookmarks,
      // timeouts and watchers whose client went away.
      wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return dirty_ || stopped_; });
      if (stopped_) return;
      dirty_ = false;
      for (Watcher& w : incoming_) active_.push_back(std::move(w));
      incoming_.clear();
    }
    Clock::time_point now = Clock::now();
    size_t ended = 0;
    for (auto it = active_.begin(); it != active_.end();) {
      if (serve(*it, now)) {
        ++it;
      } else {
        it = active_.erase(it);
        ++ended;
      }
    }
    if (ended > 0) {
      std::lock_guard lock(mu_);
      count_ -= ended;
    }
  }
}

}  // namespace stampede::local::kube
