// The worker's HTTP side: turning a VU's calls into exchanges, cookies, redirects, per-hop
// metrics with tags, and resuming the VU with its responses.
#include <strings.h>

#include <ctime>

#include "engine/lua/response.h"
#include "engine/worker/worker.h"

namespace stampede {
namespace {

// Calls fn(value) for each header `name` (case-insensitive) in raw "Name: value\r\n" lines, in
// order, until fn returns false.
template <typename Fn>
void for_each_header(std::string_view raw, std::string_view name, Fn fn) {
  while (!raw.empty()) {
    size_t eol = raw.find('\n');
    std::string_view line = raw.substr(0, eol);
    raw = eol == std::string_view::npos ? std::string_view() : raw.substr(eol + 1);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        strncasecmp(line.data(), name.data(), name.size()) == 0) {
      std::string_view value = line.substr(name.size() + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == ' '))
        value.remove_suffix(1);
      if (!fn(value)) return;
    }
  }
}

// The value of the first header `name`, or "" when there is none.
std::string_view find_header(std::string_view raw, std::string_view name) {
  std::string_view found;
  for_each_header(raw, name, [&](std::string_view value) {
    found = value;
    return false;
  });
  return found;
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

void append_key(std::string& key, std::string_view part) {
  key.append(part);
  key.push_back('\x1f');
}

}  // namespace

HttpCall* Worker::http_call(VuContext& ctx) {
  Vu& vu = static_cast<Vu&>(ctx);
  HttpCall* call;
  if (free_calls_.empty()) {
    call_pool_owned_.push_back(std::make_unique<HttpCall>());
    call = call_pool_owned_.back().get();
  } else {
    call = free_calls_.back();
    free_calls_.pop_back();
  }
  call->clear();
  call->vu = &vu;
  call->exchange.owner_token = reinterpret_cast<uintptr_t>(call);
  call->redirects_left = shared_.plan->max_redirects;
  call->exchange.request.discard_body = shared_.plan->discard_response_bodies;
  vu.calls.push_back(call);
  return call;
}

void Worker::release_calls(Vu& vu) {
  for (HttpCall* call : vu.calls) free_calls_.push_back(call);
  vu.calls.clear();
  vu.calls_pending = 0;
}

void Worker::http_discard(VuContext& ctx) {
  release_calls(static_cast<Vu&>(ctx));
}

void Worker::http_submit(VuContext& ctx, bool batch) {
  Vu& vu = static_cast<Vu&>(ctx);
  vu.batch = batch;
  vu.calls_pending = static_cast<int>(vu.calls.size());
  // Index loop: a synchronous completion may not touch vu.calls, but stay safe anyway.
  for (size_t i = 0; i < vu.calls.size(); ++i) send(vu, vu.calls[i]);
}

void Worker::send(Vu& vu, HttpCall* call) {
  std::string& cookie = call->exchange.request.cookie;
  cookie = vu.cookies.header_for(call->url, static_cast<int64_t>(std::time(nullptr)));
  if (!call->cookies.empty()) {
    if (!cookie.empty()) cookie += "; ";
    cookie += call->cookies;
  }
  // Plain http to an IP literal or localhost takes the native HTTP/1.1 path; https, DNS names
  // (and everything with http_transport = "curl") go through libcurl.
  call->transport = native_ && NativeTransport::supports(call->url)
                        ? static_cast<Transport*>(native_.get())
                        : static_cast<Transport*>(curl_.get());
  call->transport->start(&call->exchange);
}

void Worker::on_exchange_done(HttpExchange* exchange) {
  auto* call = reinterpret_cast<HttpCall*>(exchange->owner_token);  // set by http_call()
  Vu* vu = static_cast<Vu*>(call->vu);
  const HttpResponse& resp = exchange->response;
  int64_t now_unix = static_cast<int64_t>(std::time(nullptr));
  for_each_header(resp.headers_raw, "set-cookie", [&](std::string_view value) {
    vu->cookies.store(value, call->url, now_unix);
    return true;
  });
  record_http(*vu, call);
  if (resp.error == HttpErrorKind::kNone && is_redirect(resp.status) && call->redirects_left > 0 &&
      follow_redirect(call)) {
    send(*vu, call);
    return;
  }
  if (--vu->calls_pending > 0) return;
  if (vu->in_lua) {
    vu->resume_pending = true;
  } else {
    deliver_http(*vu);
  }
}

bool Worker::follow_redirect(HttpCall* call) {
  HttpRequest& req = call->exchange.request;
  std::string_view location = find_header(call->exchange.response.headers_raw, "location");
  if (location.empty()) return false;
  auto next = resolve_reference(call->url, location);
  if (!next.ok()) return false;
  auto parsed = parse_url(next.value());
  if (!parsed.ok()) return false;
  int status = call->exchange.response.status;
  // As browsers and Go do: 303 always, and 301/302 after a POST, continue with a GET.
  if ((status == 303 && req.method != "HEAD") ||
      ((status == 301 || status == 302) && req.method == "POST")) {
    req.method = "GET";
    req.body.clear();
    std::erase_if(req.headers, [](const std::string& h) {
      return strncasecmp(h.c_str(), "content-type:", 13) == 0 ||
             strncasecmp(h.c_str(), "content-length:", 15) == 0;
    });
  }
  req.url = std::move(next).value();
  call->url = std::move(parsed).value();
  --call->redirects_left;
  return true;
}

void Worker::deliver_http(Vu& vu) {
  lua_State* T = vu.thread;
  if (vu.batch) {
    lua_createtable(T, static_cast<int>(vu.calls.size()), 0);
    for (size_t i = 0; i < vu.calls.size(); ++i) {
      push_response(T, vu.calls[i]->exchange, vu.calls[i]->exchange.request.url);
      lua_rawseti(T, -2, static_cast<lua_Integer>(i + 1));
    }
  } else {
    push_response(T, vu.calls[0]->exchange, vu.calls[0]->exchange.request.url);
  }
  release_calls(vu);
  resume(vu, 1);
}

const Worker::HttpSeries& Worker::http_series(Vu& vu, HttpCall* call) {
  const HttpRequest& req = call->exchange.request;
  const HttpResponse& resp = call->exchange.response;
  char status[16];
  std::snprintf(status, sizeof(status), "%d", resp.status);
  key_.clear();
  append_key(key_, *vu.scenario);
  append_key(key_, vu.group);
  append_key(key_, call->name.empty() ? std::string_view(req.url) : std::string_view(call->name));
  append_key(key_, req.method);
  append_key(key_, status);
  append_key(key_, http_error_name(resp.error));
  for (const Tag& t : call->tags) {
    append_key(key_, t.first);
    append_key(key_, t.second);
  }
  auto it = http_series_.find(key_);
  if (it != http_series_.end()) return it->second;

  RunnerInfo& info = info_of(vu.runner);
  std::vector<Tag> tags = info.base_tags;
  if (!vu.group.empty()) tags.emplace_back("group", vu.group);
  tags.emplace_back("name", call->name.empty() ? req.url : call->name);
  tags.emplace_back("method", req.method);
  tags.emplace_back("status", status);
  bool expected = resp.error == HttpErrorKind::kNone && resp.status >= 200 && resp.status < 400;
  tags.emplace_back("expected_response", expected ? "true" : "false");
  if (resp.error != HttpErrorKind::kNone) {
    tags.emplace_back("error", http_error_name(resp.error));
    tags.emplace_back("error_code", std::to_string(http_error_code(resp.error)));
  } else if (resp.status >= 400) {
    tags.emplace_back("error_code", std::to_string(1000 + resp.status));
  }
  for (const Tag& t : call->tags) tags.push_back(t);
  TagSetPtr set = interner_.intern(std::move(tags));
  HttpSeries series;
  for (int m = kHttpReqs; m <= kHttpReqFailed; ++m)
    series.ids[m - kHttpReqs] = shard_.series(m, set);
  series.data_sent = shard_.series(kDataSent, set);
  series.data_received = shard_.series(kDataReceived, set);
  series.expected = expected;
  return http_series_.emplace(key_, series).first->second;
}

void Worker::record_http(Vu& vu, HttpCall* call) {
  const HttpResponse& resp = call->exchange.response;
  const HttpTimings& t = resp.timings;
  const HttpSeries& s = http_series(vu, call);
  auto ms = [](Nanos ns) { return static_cast<double>(ns) / kNanosPerMilli; };
  Nanos duration = t.duration;
  if (vu.first_request) {
    // Coordinated omission: in an open model the iteration's first request is timed from the
    // iteration's scheduled start, so a generator or target that fell behind shows as latency.
    if (vu.scheduled_start > 0 && vu.iteration_start > vu.scheduled_start) {
      duration += vu.iteration_start - vu.scheduled_start;
    }
    vu.first_request = false;
  }
  auto id = [&](int metric) { return s.ids[metric - kHttpReqs]; };
  shard_.add(id(kHttpReqs), 1);
  shard_.add(id(kHttpReqDuration), ms(duration));
  shard_.add(id(kHttpReqBlocked), ms(t.blocked));
  shard_.add(id(kHttpReqConnecting), ms(t.connecting));
  shard_.add(id(kHttpReqTlsHandshaking), ms(t.tls_handshaking));
  shard_.add(id(kHttpReqSending), ms(t.sending));
  shard_.add(id(kHttpReqWaiting), ms(t.waiting));
  shard_.add(id(kHttpReqReceiving), ms(t.receiving));
  shard_.add(id(kHttpReqFailed), s.expected ? 0 : 1);
  fine_.record(t.finished_at > 0 ? t.finished_at : monotonic_now(), ms(duration), !s.expected);
  shard_.add(s.data_sent, static_cast<double>(resp.bytes_sent));
  shard_.add(s.data_received, static_cast<double>(resp.bytes_received));
}

uint32_t Worker::series_for(int metric, const ScenarioRunner* runner, const std::string& group,
                            const std::vector<Tag>& extra) {
  key_.clear();
  key_.append(reinterpret_cast<const char*>(&metric), sizeof(metric));
  key_.append(reinterpret_cast<const char*>(&runner), sizeof(runner));
  append_key(key_, group);
  for (const Tag& t : extra) {
    append_key(key_, t.first);
    append_key(key_, t.second);
  }
  auto it = sample_series_.find(key_);
  if (it != sample_series_.end()) return it->second;
  std::vector<Tag> tags = info_of(runner).base_tags;
  if (!group.empty()) tags.emplace_back("group", group);
  for (const Tag& t : extra) tags.push_back(t);
  uint32_t id = shard_.series(metric, interner_.intern(std::move(tags)));
  sample_series_.emplace(key_, id);
  return id;
}

void Worker::add_sample(VuContext& ctx, int metric, double value, const std::vector<Tag>& extra) {
  Vu& vu = static_cast<Vu&>(ctx);
  shard_.add(series_for(metric, vu.runner, vu.group, extra), value);
}

}  // namespace stampede
