#include "targets/kubernetes/testing/fake_api_server.h"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <cctype>
#include <condition_variable>
#include <thread>

#include "targets/kubernetes/api_status.h"

namespace stampede::kube::testing {
namespace {

namespace bhttp = boost::beast::http;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

RecordedRequest record(const http::Request& request) {
  RecordedRequest r;
  r.method = std::string(http::to_std(request.method_string()));
  r.target = std::string(http::to_std(request.target()));
  http::Target split = http::split_target(r.target);
  r.path = std::string(split.path);
  r.query = std::string(split.query);
  auto params = http::parse_query(split.query);
  if (params.ok()) r.params = params.value();
  for (const auto& field : request) {
    r.headers[lower(std::string(http::to_std(field.name_string())))] =
        std::string(http::to_std(field.value()));
  }
  r.body = request.body();
  return r;
}

http::Reply to_reply(const http::Request& request, const FakeResponse& response) {
  http::Reply reply{http::make_response(request, static_cast<bhttp::status>(response.code),
                                        response.content_type, response.body)};
  for (const auto& [name, value] : response.headers) reply.response.insert(name, value);
  return reply;
}

}  // namespace

std::string RecordedRequest::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? "" : it->second;
}

std::string RecordedRequest::param(const std::string& name) const {
  auto value = params.get(name);
  return value ? *value : "";
}

bool RecordedRequest::is_watch() const {
  std::string w = param("watch");
  return method == "GET" && (w == "1" || w == "true");
}

FakeResponse FakeResponse::json(int code, const nlohmann::json& body) {
  FakeResponse r;
  r.code = code;
  r.body = body.dump();
  return r;
}

FakeResponse FakeResponse::status(int code, const std::string& message, const std::string& reason,
                                  const std::string& name, const std::string& kind) {
  ApiStatus s;
  s.code = code;
  s.reason = reason.empty() ? reason_for_code(code) : reason;
  s.message = message;
  s.name = name;
  s.kind = kind;
  return json(code, status_json(s));
}

Result<std::unique_ptr<FakeApiServer>> FakeApiServer::start() {
  std::unique_ptr<FakeApiServer> server(new FakeApiServer());
  if (Status s = server->listen(0); !s.ok()) return s.error().with_context("fake API server");
  return server;
}

FakeApiServer::~FakeApiServer() {
  std::lock_guard lock(server_mu_);
  if (server_) server_->shutdown(std::chrono::milliseconds(0));
}

Status FakeApiServer::listen(uint16_t port) {
  http::ServerOptions options;
  options.bind = "127.0.0.1";
  options.port = port;
  options.io_threads = 2;
  options.handler_threads = 4;  // handlers may block (a slow API server)
  auto server = http::Server::start(
      options, [this](const http::Request& request, const http::Peer&) { return handle(request); });
  if (!server.ok()) return server.error();
  server_ = std::move(server).value();
  port_ = server_->port();
  return Status::Ok();
}

std::string FakeApiServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void FakeApiServer::on(const std::string& method, const std::string& path, FakeResponse response) {
  on(method, path, [response](const RecordedRequest&) { return response; });
}

void FakeApiServer::on(const std::string& method, const std::string& path, FakeHandler handler) {
  std::lock_guard lock(mu_);
  exact_[{method, path}] = Route{std::move(handler)};
}

void FakeApiServer::on_prefix(const std::string& method, const std::string& prefix,
                              FakeHandler handler) {
  std::lock_guard lock(mu_);
  prefixes_[{method, prefix}] = Route{std::move(handler)};
}

void FakeApiServer::on_sequence(const std::string& method, const std::string& path,
                                std::vector<FakeResponse> responses) {
  auto state = std::make_shared<std::pair<std::mutex, std::deque<FakeResponse>>>();
  state->second.assign(responses.begin(), responses.end());
  on(method, path, [state](const RecordedRequest&) {
    std::lock_guard lock(state->first);
    FakeResponse next = state->second.front();
    if (state->second.size() > 1) state->second.pop_front();
    return next;
  });
}

void FakeApiServer::require_bearer(const std::string& token) {
  std::lock_guard lock(mu_);
  bearer_ = token;
}

http::Reply FakeApiServer::handle(const http::Request& request) {
  RecordedRequest recorded = record(request);
  FakeHandler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(recorded);
    arrived_.notify_all();
    if (!bearer_.empty() && recorded.header("authorization") != "Bearer " + bearer_) {
      // What kube-apiserver answers for a missing or rejected token.
      return to_reply(request, FakeResponse::status(401, "Unauthorized"));
    }
    if (recorded.is_watch()) return watch(request, recorded);
    auto exact = exact_.find({recorded.method, recorded.path});
    if (exact != exact_.end()) {
      handler = exact->second.handler;
    } else {
      size_t best = 0;
      for (const auto& [key, route] : prefixes_) {
        if (key.first == recorded.method && recorded.path.rfind(key.second, 0) == 0 &&
            key.second.size() >= best) {
          best = key.second.size();
          handler = route.handler;
        }
      }
    }
  }
  if (!handler) {
    // kube-apiserver's answer for a path it does not serve.
    ApiStatus s;
    s.code = 404;
    s.reason = "NotFound";
    s.message = "the server could not find the requested resource";
    nlohmann::json body = status_json(s);
    body["details"] = nlohmann::json::object();
    return to_reply(request, FakeResponse::json(404, body));
  }
  return to_reply(request, handler(recorded));
}

http::Reply FakeApiServer::watch(const http::Request& request, const RecordedRequest& recorded) {
  // Called with mu_ held.
  auto queued = watch_replies_.find(recorded.path);
  if (queued != watch_replies_.end() && !queued->second.empty()) {
    FakeResponse response = queued->second.front();
    queued->second.pop_front();
    return to_reply(request, response);
  }
  http::Reply reply{http::make_response(request, bhttp::status::ok, "application/json", "")};
  reply.stream = std::make_shared<http::ResponseStream>();
  auto backlog = backlog_.find(recorded.path);
  if (backlog != backlog_.end()) {
    reply.stream->write(std::move(backlog->second));
    backlog_.erase(backlog);
  }
  streams_[recorded.path].push_back(reply.stream);
  return reply;
}

std::vector<std::shared_ptr<http::ResponseStream>>& FakeApiServer::live_streams_locked(
    const std::string& path) {
  auto& list = streams_[path];
  list.erase(std::remove_if(list.begin(), list.end(), [](const auto& s) { return s->closed(); }),
             list.end());
  return list;
}

size_t FakeApiServer::write_locked(const std::string& path, const std::string& bytes) {
  auto& live = live_streams_locked(path);
  size_t written = 0;
  for (auto& stream : live) written += stream->write(bytes) ? 1 : 0;
  if (written == 0) backlog_[path] += bytes;
  return written;
}

size_t FakeApiServer::push_watch(const std::string& path, const std::string& line) {
  std::lock_guard lock(mu_);
  return write_locked(path, line + "\n");
}

size_t FakeApiServer::push_watch_raw(const std::string& path, const std::string& bytes) {
  std::lock_guard lock(mu_);
  return write_locked(path, bytes);
}

size_t FakeApiServer::end_watches(const std::string& path) {
  std::lock_guard lock(mu_);
  auto& live = live_streams_locked(path);
  size_t n = live.size();
  for (auto& stream : live) stream->end();
  live.clear();
  return n;
}

void FakeApiServer::reply_to_next_watch(const std::string& path, FakeResponse response) {
  std::lock_guard lock(mu_);
  watch_replies_[path].push_back(std::move(response));
}

Status FakeApiServer::drop_connections(std::chrono::milliseconds down_for) {
  std::lock_guard lock(server_mu_);
  if (server_) server_->shutdown(std::chrono::milliseconds(0));
  server_.reset();
  {
    std::lock_guard state_lock(mu_);
    streams_.clear();
  }
  if (down_for.count() > 0) std::this_thread::sleep_for(down_for);
  return listen(port_);
}

size_t FakeApiServer::open_watches(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = streams_.find(path);
  if (it == streams_.end()) return 0;
  return static_cast<size_t>(std::count_if(it->second.begin(), it->second.end(),
                                           [](const auto& s) { return !s->closed(); }));
}

bool FakeApiServer::wait_for_watches(const std::string& path, size_t count,
                                     std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return arrived_.wait_for(lock, timeout, [&] {
    size_t n = 0;
    for (const auto& r : requests_) n += r.path == path && r.is_watch() ? 1 : 0;
    return n >= count;
  });
}

std::vector<RecordedRequest> FakeApiServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<RecordedRequest> FakeApiServer::requests(const std::string& method,
                                                     const std::string& path) const {
  std::lock_guard lock(mu_);
  std::vector<RecordedRequest> out;
  for (const auto& r : requests_) {
    if (r.method == method && r.path == path) out.push_back(r);
  }
  return out;
}

std::vector<RecordedRequest> FakeApiServer::watch_requests(const std::string& path) const {
  std::lock_guard lock(mu_);
  std::vector<RecordedRequest> out;
  for (const auto& r : requests_) {
    if (r.path == path && r.is_watch()) out.push_back(r);
  }
  return out;
}

bool FakeApiServer::wait_for_requests(const std::string& method, const std::string& path,
                                      size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return arrived_.wait_for(lock, timeout, [&] {
    size_t n = 0;
    for (const auto& r : requests_) n += r.method == method && r.path == path ? 1 : 0;
    return n >= count;
  });
}

void FakeApiServer::clear_requests() {
  std::lock_guard lock(mu_);
  requests_.clear();
}

}  // namespace stampede::kube::testing
