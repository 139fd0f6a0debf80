#include "engine/platform/testing/fake_runtime_api.h"

#include <sys/time.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/http/url.h"
#include "engine/platform/local_api_json.h"

namespace stampede {
namespace {

namespace bhttp = boost::beast::http;
using nlohmann::json;

json time_of(Nanos mono) {
  return json{{"mono_ns", mono}, {"unix_ms", 0}};
}

json probe_json(const std::optional<ProbeSpec>& p) {
  if (!p) return nullptr;
  json j{{"initialDelaySeconds", p->initial_delay_seconds},
         {"periodSeconds", p->period_seconds},
         {"timeoutSeconds", p->timeout_seconds},
         {"successThreshold", p->success_threshold},
         {"failureThreshold", p->failure_threshold}};
  j[p->handler.empty() ? "grpc" : p->handler] = json{{"port", 0}};
  return j;
}

json hpa_json(const HpaState& h) {
  return json{
      {"deployment", h.deployment},
      {"min_replicas", h.min_replicas},
      {"max_replicas", h.max_replicas},
      {"target_cpu_utilization", h.target_cpu_utilization},
      {"current_utilization", h.current_utilization},
      {"current_replicas", h.current_replicas},
      {"desired_replicas", h.desired_replicas},
      {"last_scale", h.last_scale_mono_ns < 0 ? json(nullptr) : time_of(h.last_scale_mono_ns)},
      {"reason", h.reason}};
}

json deployment_json(const DeploymentState& d) {
  return json{{"name", d.name},
              {"replicas", d.replicas},
              {"current", d.current},
              {"ready", d.ready},
              {"updated", d.updated},
              {"available", d.available},
              {"paused_rollout", false},
              {"rollout", {{"in_progress", d.rollout_in_progress}, {"revision", d.revision}}},
              {"service", d.service.empty() ? json(nullptr)
                                            : json{{"name", d.service},
                                                   {"port", d.service_port},
                                                   {"endpoints", json::array()}}},
              {"hpa", d.hpa ? hpa_json(*d.hpa) : json(nullptr)},
              {"probes",
               {{"liveness", probe_json(d.probes.liveness)},
                {"readiness", probe_json(d.probes.readiness)},
                {"startup", probe_json(d.probes.startup)}}},
              {"termination_grace_period_seconds", d.termination_grace_period_seconds},
              {"strategy", {{"max_surge", 1}, {"max_unavailable", 0}}},
              {"labels", d.labels}};
}

http::Reply reply(const http::Request& req, bhttp::status status, const json& body) {
  return http::Reply{http::make_response(req, status, "application/json", body.dump())};
}

http::Reply error(const http::Request& req, bhttp::status status, const std::string& message) {
  return reply(req, status, json{{"error", message}});
}

// Splits "/v1/pods/x/kill" into {"v1", "pods", "x", "kill"}.
std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string_view part =
        path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    auto decoded = http::percent_decode(part, false);
    out.push_back(decoded.ok() ? decoded.value() : std::string(part));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<FakeRuntimeApi>> FakeRuntimeApi::start(FakePlatform& platform,
                                                              const std::string& state_dir,
                                                              const std::string& token) {
  std::unique_ptr<FakeRuntimeApi> api(new FakeRuntimeApi(platform, token));
  http::ServerOptions options;
  options.handler_threads = 2;
  FakeRuntimeApi* self = api.get();
  auto server = http::Server::start(
      options, [self](const http::Request& r, const http::Peer&) { return self->handle(r); });
  if (!server.ok()) return server.error();
  api->server_ = std::move(server).value();
  std::ofstream out(state_dir + "/runtime.json");
  out << json{{"pid", 0},         {"api", api->url()},   {"token", token}, {"state_dir", state_dir},
              {"values", "fake"}, {"started_unix_ms", 0}}
             .dump()
      << "\n";
  if (!out) return Error(state_dir + "/runtime.json: cannot write");
  return api;
}

FakeRuntimeApi::~FakeRuntimeApi() {
  stop();
}

void FakeRuntimeApi::stop() {
  if (server_) server_->shutdown(std::chrono::milliseconds(0));
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [pod, s] : metrics_servers_) s->shutdown(std::chrono::milliseconds(0));
}

std::string FakeRuntimeApi::url() const {
  return "http://127.0.0.1:" + std::to_string(server_ ? server_->port() : 0);
}

int FakeRuntimeApi::metrics_port(const std::string& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = metrics_servers_.find(pod);
  if (it != metrics_servers_.end()) return it->second->port();
  FakePlatform& platform = platform_;
  auto server =
      http::Server::start({}, [&platform, pod](const http::Request& r, const http::Peer&) {
        auto text = platform.pod_metrics(pod);
        if (!text.ok()) {
          return http::Reply{http::make_response(r, bhttp::status::not_found, "text/plain",
                                                 text.error().message())};
        }
        return http::Reply{
            http::make_response(r, bhttp::status::ok, "text/plain; version=0.0.4", text.value())};
      });
  if (!server.ok()) return 0;
  int port = server.value()->port();
  metrics_servers_[pod] = std::move(server).value();
  return port;
}

http::Reply FakeRuntimeApi::handle(const http::Request& req) {
  ++requests_;
  if (http::to_std(req[bhttp::field::authorization]) != "Bearer " + token_) {
    return error(req, bhttp::status::unauthorized, "missing or wrong bearer token");
  }
  http::Target target = http::split_target(req);
  std::vector<std::string> s = segments(target.path);
  auto params = http::parse_query(target.query);
  bool get = req.method() == bhttp::verb::get;
  bool post = req.method() == bhttp::verb::post;
  bool put = req.method() == bhttp::verb::put;
  bool del = req.method() == bhttp::verb::delete_;
  if (s.size() < 2 || s[0] != "v1") return error(req, bhttp::status::not_found, "no such path");
  auto fail = [&](const Status& st, bhttp::status code = bhttp::status::internal_server_error) {
    return error(req, code, st.error().message());
  };
  auto done = [&](const Status& st) {
    if (!st.ok()) return fail(st);
    return reply(req, bhttp::status::ok, json{{"ok", true}});
  };
  auto pods = platform_.pods("");
  if (!pods.ok()) return fail(pods.error());
  auto pod_exists = [&](const std::string& name) {
    for (const PodState& p : pods.value()) {
      if (p.name == name) return true;
    }
    return false;
  };
  const std::string& what = s[1];
  if (what == "status" && get) {
    return reply(req, bhttp::status::ok,
                 json{{"pid", 0},
                      {"started", time_of(0)},
                      {"values", "fake"},
                      {"state_dir", ""},
                      {"hpa_sync_period_seconds", 15},
                      {"cpu_limits", "off: fake"}});
  }
  if (what == "deployments" && s.size() == 2 && get) {
    auto list = platform_.deployments();
    if (!list.ok()) return fail(list.error());
    json out = json::array();
    for (const DeploymentState& d : list.value()) out.push_back(deployment_json(d));
    return reply(req, bhttp::status::ok, out);
  }
  if (what == "deployments" && s.size() == 4 && post) {
    auto list = platform_.deployments();
    bool known = list.ok() && std::any_of(list.value().begin(), list.value().end(),
                                          [&](const DeploymentState& d) { return d.name == s[2]; });
    if (!known) return error(req, bhttp::status::not_found, "deployment '" + s[2] + "' not found");
    if (s[3] == "restart") return done(platform_.rollout_restart(s[2]));
    if (s[3] == "scale") {
      json body = json::parse(req.body(), nullptr, false);
      if (!body.is_object() || !body.contains("replicas") ||
          !body["replicas"].is_number_integer()) {
        return error(req, bhttp::status::bad_request, "replicas: expected a whole number");
      }
      return done(platform_.scale(s[2], body["replicas"].get<int>()));
    }
  }
  if (what == "pods" && s.size() == 2 && get) {
    std::string selector = params.ok() ? params.value().get("selector").value_or("") : "";
    auto list = platform_.pods(selector);
    if (!list.ok()) return error(req, bhttp::status::bad_request, list.error().message());
    std::string only = params.ok() ? params.value().get("deployment").value_or("") : "";
    json out = json::array();
    for (const PodState& p : list.value()) {
      if (!only.empty() && p.deployment != only) continue;
      json ports = json::object();
      for (const auto& [name, port] : p.ports) ports[name] = port;
      ports["metrics"] = metrics_port(p.name);
      out.push_back(json{{"name", p.name},
                         {"deployment", p.deployment},
                         {"phase", p.phase},
                         {"state", p.state},
                         {"ready", p.ready},
                         {"started", true},
                         {"restarts", p.restarts},
                         {"pid", 0},
                         {"ports", ports},
                         {"cpu_millicores", p.cpu_millicores},
                         {"cpu_utilization", p.cpu_utilization},
                         {"created", time_of(p.created_mono_ns)},
                         {"last_exit", nullptr},
                         {"last_log_lines", json::array()},
                         {"labels", p.labels}});
    }
    return reply(req, bhttp::status::ok, out);
  }
  if (what == "pods" && s.size() >= 3) {
    const std::string& pod = s[2];
    if (!pod_exists(pod))
      return error(req, bhttp::status::not_found, "pod '" + pod + "' not found");
    if (s.size() == 3 && get) {
      for (const PodState& p : pods.value()) {
        if (p.name != pod) continue;
        return reply(req, bhttp::status::ok,
                     json{{"name", p.name},
                          {"deployment", p.deployment},
                          {"phase", p.phase},
                          {"state", p.state},
                          {"ready", p.ready},
                          {"restarts", p.restarts},
                          {"ports", {{"metrics", metrics_port(p.name)}}},
                          {"labels", p.labels}});
      }
    }
    if (s.size() == 4 && post && s[3] == "kill") return done(platform_.kill_pod(pod));
    if (s.size() == 4 && post && s[3] == "pause") return done(platform_.pause_pod(pod));
    if (s.size() == 4 && post && s[3] == "resume") {
      if (!platform_.paused(pod)) {
        return error(req, bhttp::status::conflict, "pod '" + pod + "' is not paused");
      }
      return done(platform_.resume_pod(pod));
    }
    if (s.size() == 4 && post && s[3] == "terminate") {
      json body = json::parse(req.body().empty() ? "{}" : req.body(), nullptr, false);
      double grace = body.is_object() && body.contains("grace_period_seconds")
                         ? body["grace_period_seconds"].get<double>()
                         : -1;
      return done(platform_.terminate_pod(pod, grace));
    }
    if (s.size() == 4 && s[3] == "faults" && del) return done(platform_.clear_pod_faults(pod));
    if (s.size() == 4 && s[3] == "faults" && put) {
      json body = json::parse(req.body(), nullptr, false);
      if (!body.is_object()) return error(req, bhttp::status::bad_request, "faults: expected JSON");
      FaultKnobs k;
      if (body.contains("latency_ms")) k.latency_ms = body["latency_ms"].get<int64_t>();
      if (body.contains("jitter_ms")) k.jitter_ms = body["jitter_ms"].get<int64_t>();
      if (body.contains("error_rate")) k.error_rate = body["error_rate"].get<double>();
      if (body.contains("hang")) k.hang = body["hang"].get<bool>();
      if (body.contains("unhealthy")) k.unhealthy = body["unhealthy"].get<bool>();
      if (body.contains("cpu_burn_ms")) k.cpu_burn_ms = body["cpu_burn_ms"].get<int64_t>();
      if (body.contains("methods")) k.methods = body["methods"].get<std::vector<std::string>>();
      return done(platform_.set_pod_faults(pod, k));
    }
  }
  if (what == "hpas" && s.size() == 2 && get) {
    auto list = platform_.hpas();
    if (!list.ok()) return fail(list.error());
    json out = json::array();
    for (const HpaState& h : list.value()) out.push_back(hpa_json(h));
    return reply(req, bhttp::status::ok, out);
  }
  if (what == "events" && get) {
    int64_t since = 0;
    if (params.ok()) since = std::stoll(params.value().get("since").value_or("0"));
    auto batch = platform_.events_since(since);
    if (!batch.ok()) return fail(batch.error());
    json events = json::array();
    for (const PlatformEventRecord& e : batch.value().events) {
      events.push_back(json{{"seq", e.seq},
                            {"mono_ns", e.mono_ns},
                            {"unix_ms", 0},
                            {"kind", e.kind},
                            {"deployment", e.deployment},
                            {"pod", e.pod},
                            {"detail", e.detail}});
    }
    return reply(req, bhttp::status::ok, json{{"next", batch.value().next}, {"events", events}});
  }
  if (what == "services" && s.size() == 4 && s[3] == "fault") {
    if (del) {
      if (!platform_.service_fault(s[2])) {
        return error(req, bhttp::status::not_found, "service '" + s[2] + "' has no fault");
      }
      return done(platform_.clear_service_fault(s[2]));
    }
    if (put) {
      json body = json::parse(req.body(), nullptr, false);
      if (!body.is_object()) return error(req, bhttp::status::bad_request, "fault: expected JSON");
      NetworkFault f;
      f.latency_ms = body.value("latency_ms", 0.0);
      f.jitter_ms = body.value("jitter_ms", 0.0);
      f.bandwidth_kbps = body.value("bandwidth_kbps", 0.0);
      f.reset_rate = body.value("reset_rate", 0.0);
      f.reset_existing = body.value("reset_existing", false);
      f.blackhole = body.value("blackhole", false);
      Status st = platform_.set_service_fault(s[2], f);
      if (!st.ok()) return fail(st, bhttp::status::not_found);
      return done(st);
    }
  }
  return error(req, bhttp::status::not_found, "no such path: " + std::string(target.path));
}

}  // namespace stampede
