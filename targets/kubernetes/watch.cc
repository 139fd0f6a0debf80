#include "targets/kubernetes/watch.h"

#include <ctime>
#include <random>

#include "targets/kubernetes/api_error.h"
#include "targets/kubernetes/backoff.h"
#include "targets/kubernetes/kube_json.h"
#include "targets/kubernetes/request_info.h"

namespace stampede::kube {

int64_t monotonic_now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

namespace {

constexpr int64_t kNanosPerMs = 1000000;
// A watch that ends cleanly sooner than this, with nothing in it, is resumed after a backoff
// (a server closing watches at once must not make us spin).
constexpr int64_t kShortWatchNs = 1000 * kNanosPerMs;
constexpr size_t kMaxErrorBody = 1 << 20;

std::string resource_version_of(const nlohmann::json& object) {
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return "";
  auto rv = metadata->find("resourceVersion");
  return rv != metadata->end() && rv->is_string() ? rv->get<std::string>() : "";
}

}  // namespace

// One collection's state machine; owned and touched by the watch thread only.
struct Watcher::Collection {
  enum class Phase { kWaiting, kListing, kWatching };
  // Why the write callback cut a transfer short.
  enum class Abort { kNone, kRelist, kRestart, kTooLarge };

  Collection(WatchCollection spec, size_t index, const WatchOptions& options)
      : spec(std::move(spec)),
        index(index),
        backoff(options.initial_backoff, options.max_backoff) {}

  Watcher* owner = nullptr;
  WatchCollection spec;
  size_t index;
  CurlEasy easy;
  RequestLists lists;
  char errbuf[CURL_ERROR_SIZE] = {0};

  Phase phase = Phase::kWaiting;
  int64_t next_start_ns = 0;
  bool need_list = true;
  std::string resource_version;
  Backoff backoff;

  // The LIST in progress (several pages).
  std::string continue_token;
  std::vector<nlohmann::json> items;
  int64_t list_observed_ns = 0;

  // The transfer in progress.
  std::string body;  // a LIST page, or the body of a watch answered with an error
  WatchLineBuffer lines;
  Abort abort = Abort::kNone;
  bool got_event = false;
  int64_t started_ns = 0;
  uint64_t auth_generation = 0;
  uint64_t cert_generation = 0;  // the client certificate of the open connection
};

Watcher::Watcher(std::shared_ptr<Credentials> credentials, std::vector<WatchCollection> collections,
                 WatchCallbacks callbacks, WatchOptions options)
    : credentials_(std::move(credentials)),
      callbacks_(std::move(callbacks)),
      options_(std::move(options)) {
  for (size_t i = 0; i < collections.size(); ++i) {
    auto c = std::make_unique<Collection>(std::move(collections[i]), i, options_);
    c->owner = this;
    collections_.push_back(std::move(c));
  }
  synced_.assign(collections_.size(), false);
  last_errors_.resize(collections_.size());
}

Watcher::~Watcher() {
  stop();
}

Status Watcher::start() {
  std::lock_guard lock(stop_mu_);
  if (started_) return Error("watch: already started");
  if (collections_.empty()) return Error("watch: no collections to watch");
  TransportOptions transport_options;
  transport_options.connect_timeout = options_.connect_timeout;
  transport_options.user_agent = options_.user_agent;
  auto transport = Transport::create(credentials_->config(), transport_options);
  if (!transport.ok()) return transport.error().with_context("watch");
  transport_ = std::make_unique<Transport>(std::move(transport).value());
  auto multi = make_curl_multi();
  if (!multi.ok()) return multi.error().with_context("watch");
  multi_ = std::move(multi).value();
  for (auto& c : collections_) {
    auto easy = make_curl_easy();
    if (!easy.ok()) return easy.error().with_context("watch");
    c->easy = std::move(easy).value();
  }
  started_ = true;
  thread_ = std::thread([this] { run(); });
  return Status::Ok();
}

void Watcher::stop() {
  std::lock_guard lock(stop_mu_);
  stop_.store(true);
  if (multi_) curl_multi_wakeup(multi_.get());
  {
    std::lock_guard synced_lock(mu_);
    synced_cv_.notify_all();
  }
  // From a callback (the watch thread itself) the loop ends when the callback returns.
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool Watcher::synced() const {
  std::lock_guard lock(mu_);
  return synced_count_ == collections_.size();
}

Status Watcher::wait_synced(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  synced_cv_.wait_for(lock, timeout,
                      [&] { return synced_count_ == collections_.size() || stop_.load(); });
  if (synced_count_ == collections_.size()) return Status::Ok();
  std::string text =
      stop_.load() ? "watch stopped before the first list of"
                   : "watch: no first list within " + std::to_string(timeout.count()) + " ms of";
  size_t n = 0;
  for (size_t i = 0; i < collections_.size(); ++i) {
    if (synced_[i]) continue;
    text += (n++ == 0 ? " " : ", ") + collections_[i]->spec.name;
    if (!last_errors_[i].empty()) text += " (" + last_errors_[i] + ")";
  }
  return Error(text);
}

void Watcher::report(Collection& c, const std::string& message) {
  {
    std::lock_guard lock(mu_);
    last_errors_[c.index] = message;
  }
  if (callbacks_.on_error) callbacks_.on_error(c.spec.name, message);
}

void Watcher::retry_later(Collection& c, const std::string& message) {
  if (!message.empty()) report(c, message);
  c.phase = Collection::Phase::kWaiting;
  c.next_start_ns = monotonic_now_ns() + c.backoff.next().count() * kNanosPerMs;
}

void Watcher::run() {
  CURLM* multi = multi_.get();
  int64_t now = monotonic_now_ns();
  for (auto& c : collections_) c->next_start_ns = now;
  while (!stop_.load()) {
    now = monotonic_now_ns();
    for (auto& c : collections_) {
      if (c->phase == Collection::Phase::kWaiting && now >= c->next_start_ns) start_request(*c);
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    // Finished transfers: collected first, since removing a handle invalidates its message.
    std::vector<std::pair<Collection*, CURLcode>> done;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Collection* c = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &c);
      done.emplace_back(c, msg->data.result);
    }
    for (auto& [c, result] : done) {
      curl_multi_remove_handle(multi, c->easy.get());
      finish(*c, result);
    }
    if (stop_.load()) break;
    // Sleep until a socket is ready, a backoff ends or stop() wakes us.
    now = monotonic_now_ns();
    int64_t wait_ms = 1000;
    for (auto& c : collections_) {
      if (c->phase != Collection::Phase::kWaiting) continue;
      wait_ms =
          std::min<int64_t>(wait_ms, std::max<int64_t>(0, c->next_start_ns - now) / kNanosPerMs);
    }
    if (wait_ms > 0) curl_multi_poll(multi, nullptr, 0, static_cast<int>(wait_ms), nullptr);
  }
  for (auto& c : collections_) {
    if (c->phase != Collection::Phase::kWaiting) curl_multi_remove_handle(multi, c->easy.get());
    c->phase = Collection::Phase::kWaiting;
  }
}

void Watcher::start_request(Collection& c) {
  auto auth = credentials_->current();
  if (!auth.ok()) return retry_later(c, auth.error().message());
  CURL* easy = c.easy.get();
  curl_easy_reset(easy);
  c.lists = RequestLists();
  Status applied = transport_->apply(easy, auth.value(), c.lists);
  if (!applied.ok()) return retry_later(c, applied.error().message());
  c.auth_generation = auth.value().generation;
  if (auth.value().has_client_cert() && auth.value().generation != c.cert_generation) {
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    c.cert_generation = auth.value().generation;
  }

  Query query;
  bool list = c.need_list;
  if (list) {
    if (options_.page_size > 0) query.add("limit", std::to_string(options_.page_size));
    if (!c.continue_token.empty()) query.add("continue", c.continue_token);
    if (c.continue_token.empty()) {
      c.items.clear();
      c.list_observed_ns = 0;
    }
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.list_timeout.count()));
  } else {
    // Like client-go, a randomised server-side timeout spreads the watches' reconnections.
    static thread_local std::mt19937 rng(std::random_device{}());
    int64_t base = std::max<int64_t>(1, options_.watch_timeout.count());
    int64_t timeout = std::uniform_int_distribution<int64_t>(base, 2 * base - 1)(rng);
    query.add("watch", "1")
        .add("resourceVersion", c.resource_version)
        .add("allowWatchBookmarks", "true")
        .add("timeoutSeconds", std::to_string(timeout));
    // No overall timeout for a watch; a silent connection is given up after this long.
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(timeout + 30));
  }
  if (!c.spec.label_selector.empty()) query.add("labelSelector", c.spec.label_selector);
  if (!c.spec.field_selector.empty()) query.add("fieldSelector", c.spec.field_selector);
  std::string url = transport_->url(c.spec.path, query.encode());
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  c.lists.headers.append("Accept: application/json");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, c.lists.headers.get());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Watcher::on_data);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &c);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, &c);
  c.errbuf[0] = '\0';
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, c.errbuf);

  c.body.clear();
  c.lines.clear();
  c.abort = Collection::Abort::kNone;
  c.got_event = false;
  c.started_ns = monotonic_now_ns();
  CURLMcode added = curl_multi_add_handle(multi_.get(), easy);
  if (added != CURLM_OK) {
    return retry_later(c,
                       std::string("watch: curl_multi_add_handle: ") + curl_multi_strerror(added));
  }
  c.phase = list ? Collection::Phase::kListing : Collection::Phase::kWatching;
}

size_t Watcher::on_data(char* data, size_t size, size_t count, void* user) {
  int64_t now = monotonic_now_ns();  // when these bytes arrived
  auto& c = *static_cast<Collection*>(user);
  Watcher& self = *c.owner;
  size_t n = size * count;
  long code = 0;
  curl_easy_getinfo(c.easy.get(), CURLINFO_RESPONSE_CODE, &code);
  if (c.phase == Collection::Phase::kListing) {
    if (c.list_observed_ns == 0) c.list_observed_ns = now;
    if (c.body.size() + n > self.options_.max_list_bytes) {
      c.abort = Collection::Abort::kTooLarge;
      return 0;
    }
    c.body.append(data, n);
    return n;
  }
  if (code != 200) {
    if (c.body.size() < kMaxErrorBody) c.body.append(data, std::min(n, kMaxErrorBody));
    return n;
  }
  c.lines.feed(std::string_view(data, n), [&](std::string_view line) {
    if (c.abort == Collection::Abort::kNone && !self.stop_.load()) self.on_line(c, line, now);
  });
  if (c.lines.partial_size() > self.options_.max_event_bytes)
    c.abort = Collection::Abort::kTooLarge;
  if (c.abort != Collection::Abort::kNone || self.stop_.load()) return 0;  // ends the transfer
  return n;
}

void Watcher::on_line(Collection& c, std::string_view line, int64_t now_ns) {
  auto event = parse_watch_event(line);
  if (!event.ok()) {
    report(c, "watch " + c.spec.name + ": " + event.error().message() + "; restarting the watch");
    c.abort = Collection::Abort::kRestart;
    return;
  }
  RawWatchEvent& e = event.value();
  switch (e.type) {
    case WatchEventType::kBookmark: {
      std::string rv = resource_version_of(e.object);
      if (!rv.empty()) c.resource_version = rv;
      return;
    }
    case WatchEventType::kError: {
      auto status = parse_status(e.object);
      bool gone = status &&
                  (status->code == 410 || status->reason == "Expired" || status->reason == "Gone");
      if (gone) {
        c.abort = Collection::Abort::kRelist;  // the consumer is told through on_list
        return;
      }
      std::string message = status ? status->message + " (" + status->reason + ", " +
                                         std::to_string(status->code) + ")"
                                   : e.object.dump();
      report(c, "watch " + c.spec.name + ": the server sent an error: " + message);
      c.abort = Collection::Abort::kRestart;
      return;
    }
    default: {
      std::string rv = resource_version_of(e.object);
      if (!rv.empty()) c.resource_version = rv;
      c.got_event = true;
      c.backoff.reset();
      if (callbacks_.on_event) {
        WatchEvent delivered{e.type, std::move(e.object), now_ns};
        callbacks_.on_event(c.spec.name, delivered);
      }
      return;
    }
  }
}

std::string Watcher::describe_http_error(Collection& c, int code) {
  std::string target = c.spec.path;
  if (c.phase == Collection::Phase::kWatching) target += "?watch=1";
  ErrorContext context{credentials_->source(), transport_->server(), options_.forbidden_hint};
  return error_from_response(describe_request("GET", target), code, c.body, context).message();
}

void Watcher::finish(Collection& c, CURLcode result) {
  curl_easy_setopt(c.easy.get(), CURLOPT_ERRORBUFFER, nullptr);
  long code = 0;
  curl_easy_getinfo(c.easy.get(), CURLINFO_RESPONSE_CODE, &code);
  if (c.phase == Collection::Phase::kListing) {
    list_done(c, result, static_cast<int>(code));
  } else {
    watch_done(c, result, static_cast<int>(code));
  }
}

void Watcher::list_done(Collection& c, CURLcode result, int code) {
  std::string what = "list " + c.spec.name;
  if (c.abort == Collection::Abort::kTooLarge) {
    c.continue_token.clear();
    return retry_later(
        c, what + ": a page is larger than " + std::to_string(options_.max_list_bytes) + " bytes");
  }
  if (result != CURLE_OK) {
    return retry_later(c, what + ": " + transport_->describe_failure(result, c.errbuf));
  }
  if (code == 410 && !c.continue_token.empty()) {
    // The continue token expired between pages: list again from the start, at once.
    c.continue_token.clear();
    c.phase = Collection::Phase::kWaiting;
    c.next_start_ns = monotonic_now_ns();
    return;
  }
  if (code == 401) credentials_->invalidate(c.auth_generation);
  if (code != 200) {
    c.continue_token.clear();
    return retry_later(c, describe_http_error(c, code));
  }
  nlohmann::json page = nlohmann::json::parse(c.body, nullptr, false);
  c.body.clear();
  if (page.is_discarded() || !page.is_object()) {
    c.continue_token.clear();
    return retry_later(c, what + ": the answer is not a JSON list");
  }
  // List items come without kind and apiVersion; give them the list's, as watch events have.
  std::string kind = kube_json::str(page, "kind");
  if (kind.size() > 4 && kind.compare(kind.size() - 4, 4, "List") == 0)
    kind.resize(kind.size() - 4);
  std::string api_version = kube_json::str(page, "apiVersion");
  auto items = page.find("items");
  if (items != page.end() && items->is_array()) {
    for (auto& item : *items) {
      if (!item.is_object()) continue;
      if (!item.contains("kind") && !kind.empty()) item["kind"] = kind;
      if (!item.contains("apiVersion") && !api_version.empty()) item["apiVersion"] = api_version;
      c.items.push_back(std::move(item));
    }
  }
  std::string next;
  std::string rv;
  auto metadata = page.find("metadata");
  if (metadata != page.end() && metadata->is_object()) {
    next = kube_json::str(*metadata, "continue");
    rv = kube_json::str(*metadata, "resourceVersion");
  }
  c.phase = Collection::Phase::kWaiting;
  c.next_start_ns = monotonic_now_ns();
  if (!next.empty()) {
    c.continue_token = next;  // the next page, at once
    return;
  }
  c.continue_token.clear();
  c.resource_version = rv;
  c.need_list = false;
  c.backoff.reset();
  std::vector<nlohmann::json> listed = std::move(c.items);
  c.items.clear();
  if (callbacks_.on_list) callbacks_.on_list(c.spec.name, listed, rv, c.list_observed_ns);
  std::lock_guard lock(mu_);
  last_errors_[c.index].clear();
  if (!synced_[c.index]) {
    synced_[c.index] = true;
    ++synced_count_;
    synced_cv_.notify_all();
  }
}

void Watcher::watch_done(Collection& c, CURLcode result, int code) {
  std::string what = "watch " + c.spec.name;
  switch (c.abort) {
    case Collection::Abort::kRelist:
      c.need_list = true;
      c.phase = Collection::Phase::kWaiting;
      c.next_start_ns = monotonic_now_ns();
      return;
    case Collection::Abort::kRestart:
      return retry_later(c, "");
    case Collection::Abort::kTooLarge:
      return retry_later(c, what + ": an event is larger than " +
                                std::to_string(options_.max_event_bytes) + " bytes");
    case Collection::Abort::kNone:
      break;
  }
  if (result != CURLE_OK) {
    std::string why =
        code == 200 ? "the connection to " + transport_->server() + " was lost: " +
                          (c.errbuf[0] != '\0' ? std::string(c.errbuf) : curl_easy_strerror(result))
                    : transport_->describe_failure(result, c.errbuf);
    return retry_later(
        c, what + ": " + why + "; reconnecting from resourceVersion " + c.resource_version);
  }
  if (code == 200) {
    if (c.lines.partial_size() > 0) {
      report(c, what + ": the stream ended in the middle of an event; resuming");
    }
    // A clean end (the server's timeoutSeconds): resume from the last resourceVersion.
    bool short_and_empty = !c.got_event && monotonic_now_ns() - c.started_ns < kShortWatchNs;
    if (short_and_empty) return retry_later(c, "");
    c.backoff.reset();
    c.phase = Collection::Phase::kWaiting;
    c.next_start_ns = monotonic_now_ns();
    return;
  }
  if (code == 410) {
    c.need_list = true;
    c.phase = Collection::Phase::kWaiting;
    c.next_start_ns = monotonic_now_ns();
    return;
  }
  if (code == 401) credentials_->invalidate(c.auth_generation);
  retry_later(c, describe_http_error(c, code));
}

}  // namespace stampede::kube
