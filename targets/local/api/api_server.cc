#include "targets/local/api/api_server.h"

#include "targets/local/api/api_actions.h"
#include "targets/local/api/api_request.h"
#include "targets/local/api/api_views.h"

namespace stampede::local {

using nlohmann::json;

namespace {

// Label selector "app=cart,pod-template-hash=x" against a pod; false on a malformed selector.
bool selector_matches(const std::string& selector, const Pod& pod, bool& malformed) {
  std::map<std::string, std::string> labels = {{"app", pod.deployment()},
                                               {"pod-template-hash", pod.hash()}};
  size_t pos = 0;
  while (pos <= selector.size()) {
    size_t comma = selector.find(',', pos);
    if (comma == std::string::npos) comma = selector.size();
    std::string term = selector.substr(pos, comma - pos);
    size_t eq = term.find('=');
    if (eq == std::string::npos || eq == 0) {
      malformed = true;
      return false;
    }
    std::string value = term.substr(eq + 1);
    if (!value.empty() && value[0] == '=') value.erase(0, 1);  // "==" is allowed too
    auto it = labels.find(term.substr(0, eq));
    if (it == labels.end() || it->second != value) return false;
    pos = comma + 1;
  }
  return true;
}

// GET routes: answered on the control thread.
std::pair<int, json> read_route(Runtime& rt, const ApiRequest& req) {
  const auto& p = req.path;
  if (p.size() == 2 && p[1] == "shutdown") {
    return std::make_pair(405, json{{"error", "use POST for /v1/shutdown"}});
  }
  if (p.size() == 2 && p[1] == "status") return std::make_pair(200, status_json(rt));
  if (p.size() >= 2 && p[1] == "deployments" && p.size() <= 3) {
    if (p.size() == 3) {
      Deployment* d = rt.deployment(p[2]);
      if (d == nullptr)
        return std::make_pair(404, json{{"error", "unknown deployment '" + p[2] + "'"}});
      return std::make_pair(200, deployment_json(rt, *d));
    }
    json all = json::array();
    for (const auto& d : rt.deployments()) all.push_back(deployment_json(rt, *d));
    return std::make_pair(200, all);
  }
  if (p.size() >= 2 && p[1] == "pods" && p.size() <= 3) {
    if (p.size() == 3) {
      auto pod = rt.pod(p[2]);
      if (!pod) return std::make_pair(404, json{{"error", "unknown pod '" + p[2] + "'"}});
      return std::make_pair(200, pod_json(rt, *pod));
    }
    auto dep = req.query.find("deployment");
    auto sel = req.query.find("selector");
    if (dep != req.query.end() && rt.deployment(dep->second) == nullptr) {
      return std::make_pair(404, json{{"error", "unknown deployment '" + dep->second + "'"}});
    }
    json all = json::array();
    for (const auto& d : rt.deployments()) {
      if (dep != req.query.end() && d->name() != dep->second) continue;
      for (const auto& pod : d->pods()) {
        bool malformed = false;
        if (sel != req.query.end() && !selector_matches(sel->second, *pod, malformed)) {
          if (malformed) {
            return std::make_pair(400, json{{"error", "selector '" + sel->second +
                                                          "': expected key=value[,key=value]"}});
          }
          continue;
        }
        all.push_back(pod_json(rt, *pod));
      }
    }
    return std::make_pair(200, all);
  }
  if (p.size() == 2 && p[1] == "hpas") {
    json all = json::array();
    for (const auto& d : rt.deployments()) {
      json h = hpa_json(rt, *d);
      if (!h.is_null()) all.push_back(h);
    }
    return std::make_pair(200, all);
  }
  if (p.size() == 2 && p[1] == "services") {
    json all = json::array();
    for (const auto& d : rt.deployments()) {
      json s = service_json(rt, *d);
      if (!s.is_null()) all.push_back(s);
    }
    return std::make_pair(200, all);
  }
  if (p.size() == 2 && p[1] == "events") {
    uint64_t since = 0;
    auto it = req.query.find("since");
    if (it != req.query.end()) {
      char* end = nullptr;
      since = std::strtoull(it->second.c_str(), &end, 10);
      if (it->second.empty() || *end != '\0') {
        return std::make_pair(
            400, json{{"error", "since: expected a sequence number, got '" + it->second + "'"}});
      }
    }
    json events = json::array();
    for (const Event& e : rt.events().since(since)) events.push_back(event_json(e));
    return std::make_pair(200, json{{"next", rt.events().next_seq()}, {"events", events}});
  }
  std::string joined;
  for (const std::string& part : p) joined += "/" + part;
  return std::make_pair(404, json{{"error", "no such resource: " + joined}});
}

}  // namespace

http::Handler make_api_handler(Runtime& runtime, std::string token,
                               std::function<void()> on_shutdown, http::Handler other) {
  return [&runtime, token, on_shutdown, other](const http::Request& request,
                                               const http::Peer& peer) {
    std::string_view target = http::to_std(request.target());
    bool control = target == "/v1" || target.rfind("/v1/", 0) == 0 || target.rfind("/v1?", 0) == 0;
    if (!control && other) return other(request, peer);
    ApiRequest req;
    std::string error;
    if (!parse_api_request(request, req, error)) return error_reply(request, 400, error);
    if (!token_matches(req.authorization, token)) {
      return error_reply(
          request, 401,
          req.authorization.empty() ? "missing Authorization: Bearer <token>" : "wrong token");
    }
    if (req.path.empty() || req.path[0] != "v1") {
      return error_reply(request, 404, "no such resource: the API lives under /v1");
    }
    if (req.method == "GET" && req.path.size() <= 3) {
      auto answer = runtime.call([&runtime, req] { return read_route(runtime, req); });
      if (!answer.ok()) return error_reply(request, 503, answer.error().message());
      return json_reply(request, answer.value().first, answer.value().second);
    }
    ActionAnswer a = run_action(runtime, req);
    if (a.status == 200 && req.path.size() == 2 && req.path[1] == "shutdown" && on_shutdown) {
      on_shutdown();
    }
    return json_reply(request, a.status, a.body);
  };
}

Result<std::unique_ptr<ApiServer>> ApiServer::start(Runtime& runtime, std::string token,
                                                    std::function<void()> on_shutdown,
                                                    uint16_t port, http::Handler other) {
  http::ServerOptions options;
  options.bind = "127.0.0.1";
  options.port = port;
  // Pod proxy calls may wait on a pod for a while; watches and followed logs hold no thread.
  options.handler_threads = 8;
  auto server = http::Server::start(
      options,
      make_api_handler(runtime, std::move(token), std::move(on_shutdown), std::move(other)));
  if (!server.ok()) return server.error().with_context("control API");
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(server).value()));
}

void ApiServer::stop() {
  server_->shutdown(std::chrono::seconds(2));
}

}  // namespace stampede::local
