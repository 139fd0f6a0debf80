#include "engine/platform/local_platform.h"

#include <curl/curl.h>

#include "engine/platform/local_api_json.h"

namespace stampede {
namespace {

std::string escape(const std::string& segment) {
  std::string out;
  for (unsigned char c : segment) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string error_text(const ApiResponse& r) {
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) {
    return j["error"].get<std::string>();
  }
  std::string body = r.body.substr(0, 200);
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  return body.empty() ? "(no message)" : body;
}

}  // namespace

Result<std::unique_ptr<LocalPlatform>> LocalPlatform::connect(const std::string& state_dir,
                                                              std::chrono::milliseconds timeout) {
  auto info = read_runtime_info(state_dir);
  if (!info.ok()) return info.error();
  auto platform = std::make_unique<LocalPlatform>(info.value(), state_dir, timeout);
  Status st = platform->ping();
  if (!st.ok()) {
    return Error("the local runtime (" + runtime_json_path(state_dir) + ") is not reachable: " +
                 st.error().message() + " — is `stampede up` still running?");
  }
  return platform;
}

LocalPlatform::LocalPlatform(RuntimeInfo info, std::string state_dir,
                             std::chrono::milliseconds timeout)
    : info_(std::move(info)),
      state_dir_(std::move(state_dir)),
      api_(info_.token, timeout),
      scraper_("", timeout) {}

std::string LocalPlatform::describe() const {
  return "local runtime " + info_.api + " (" + (state_dir_.empty() ? "." : state_dir_) + ")";
}

Result<ApiResponse> LocalPlatform::call(const std::string& method, const std::string& path,
                                        const std::string& body, std::initializer_list<long> fine) {
  auto r = api_.request(method, info_.api + path, body);
  if (!r.ok()) return r.error();
  long status = r.value().status;
  if (status >= 200 && status < 300) return r;
  for (long f : fine) {
    if (status == f) return r;
  }
  return Error(method + " " + path + ": " + std::to_string(status) + " " + error_text(r.value()));
}

Result<nlohmann::json> LocalPlatform::get_json(const std::string& path) {
  auto r = call("GET", path);
  if (!r.ok()) return r.error();
  nlohmann::json j = nlohmann::json::parse(r.value().body, nullptr, false);
  if (j.is_discarded()) return Error("GET " + path + ": the answer is not JSON");
  return j;
}

Status LocalPlatform::act(const std::string& method, const std::string& path,
                          const std::string& body, std::initializer_list<long> fine) {
  auto r = call(method, path, body, fine);
  if (!r.ok()) return r.error();
  return Status();
}

Status LocalPlatform::ping() {
  auto j = get_json("/v1/status");
  if (!j.ok()) return j.error();
  if (!j.value().is_object()) return Error("GET /v1/status: expected a JSON object");
  return Status();
}

template <class T, class Decode>
Result<T> decoded(Result<nlohmann::json> j, const std::string& path, Decode decode) {
  if (!j.ok()) return j.error();
  auto out = decode(j.value());
  if (!out.ok()) return out.error().with_context("GET " + path);
  return out;
}

Result<std::vector<DeploymentState>> LocalPlatform::deployments() {
  return decoded<std::vector<DeploymentState>>(get_json("/v1/deployments"), "/v1/deployments",
                                               decode_deployments);
}

Result<std::vector<PodState>> LocalPlatform::pods(const std::string& selector) {
  std::string path = "/v1/pods";
  if (!selector.empty()) path += "?selector=" + escape(selector);
  return decoded<std::vector<PodState>>(get_json(path), path, decode_pods);
}

Result<std::vector<HpaState>> LocalPlatform::hpas() {
  return decoded<std::vector<HpaState>>(get_json("/v1/hpas"), "/v1/hpas", decode_hpas);
}

Result<EventBatch> LocalPlatform::events_since(int64_t cursor) {
  std::string path = "/v1/events?since=" + std::to_string(cursor);
  auto batch = decoded<EventBatch>(get_json(path), path, decode_events);
  if (!batch.ok()) return batch;
  // Whether `since` is inclusive is the runtime's business; never hand out an event twice.
  auto& events = batch.value().events;
  std::erase_if(events, [&](const PlatformEventRecord& e) { return e.seq < cursor; });
  return batch;
}

Result<std::string> LocalPlatform::pod_metrics(const std::string& pod) {
  std::string path = "/v1/pods/" + escape(pod);
  auto j = get_json(path);
  if (!j.ok()) return j.error();
  auto list = decode_pods(nlohmann::json::array({j.value()}));
  if (!list.ok()) return list.error().with_context("GET " + path);
  const PodState& p = list.value().front();
  int port = 0;
  for (const char* name : {"metrics", "http"}) {
    auto it = p.ports.find(name);
    if (it != p.ports.end() && it->second > 0) {
      port = it->second;
      break;
    }
  }
  if (port == 0) return Error("pod " + pod + ": has no metrics or http port");
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
  auto r = scraper_.request("GET", url);
  if (!r.ok()) return r.error();
  if (r.value().status != 200) {
    return Error("GET " + url + " (pod " + pod + "): status " + std::to_string(r.value().status));
  }
  return std::move(r).value().body;
}

Status LocalPlatform::kill_pod(const std::string& pod) {
  return act("POST", "/v1/pods/" + escape(pod) + "/kill");
}

Status LocalPlatform::terminate_pod(const std::string& pod, double grace_seconds) {
  std::string body = grace_seconds >= 0
                         ? nlohmann::json{{"grace_period_seconds", grace_seconds}}.dump()
                         : std::string("{}");
  return act("POST", "/v1/pods/" + escape(pod) + "/terminate", body);
}

Status LocalPlatform::pause_pod(const std::string& pod) {
  return act("POST", "/v1/pods/" + escape(pod) + "/pause");
}

Status LocalPlatform::scale(const std::string& deployment, int replicas) {
  return act("POST", "/v1/deployments/" + escape(deployment) + "/scale",
             nlohmann::json{{"replicas", replicas}}.dump());
}

Status LocalPlatform::rollout_restart(const std::string& deployment) {
  return act("POST", "/v1/deployments/" + escape(deployment) + "/restart");
}

Status LocalPlatform::set_pod_faults(const std::string& pod, const FaultKnobs& knobs) {
  return act("PUT", "/v1/pods/" + escape(pod) + "/faults", encode_fault_knobs(knobs).dump());
}

Status LocalPlatform::set_service_fault(const std::string& service, const NetworkFault& fault) {
  return act("PUT", "/v1/services/" + escape(service) + "/fault",
             encode_network_fault(fault).dump());
}

// Undo calls: 404 (the pod or fault is gone) and 409 (not paused) mean nothing is left to undo.
Status LocalPlatform::resume_pod(const std::string& pod) {
  return act("POST", "/v1/pods/" + escape(pod) + "/resume", "", {404, 409});
}

Status LocalPlatform::clear_pod_faults(const std::string& pod) {
  return act("DELETE", "/v1/pods/" + escape(pod) + "/faults", "", {404, 409});
}

Status LocalPlatform::clear_service_fault(const std::string& service) {
  return act("DELETE", "/v1/services/" + escape(service) + "/fault", "", {404, 409});
}

}  // namespace stampede
