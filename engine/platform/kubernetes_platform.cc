#include "engine/platform/kubernetes_platform.h"

#include <cmath>
#include <cstdlib>

#include "targets/kubernetes/base64.h"
#include "targets/kubernetes/kube_json.h"
#include "targets/kubernetes/kube_time.h"
#include "targets/kubernetes/label_selector.h"

namespace stampede {
namespace {

using nlohmann::json;

constexpr const char* kExtensionGroup = "local.stampede.dev";
constexpr const char* kRestartedAt = "kubectl.kubernetes.io/restartedAt";

// Path segments are names the API validated (DNS labels); escape anything else anyway.
std::string segment(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

json fault_knobs_json(const FaultKnobs& k) {
  json j = json::object();
  if (k.latency_ms) j["latency_ms"] = *k.latency_ms;
  if (k.jitter_ms) j["jitter_ms"] = *k.jitter_ms;
  if (k.error_rate) j["error_rate"] = *k.error_rate;
  if (k.hang) j["hang"] = *k.hang;
  if (k.unhealthy) j["unhealthy"] = *k.unhealthy;
  if (k.cpu_burn_ms) j["cpu_burn_ms"] = *k.cpu_burn_ms;
  if (!k.methods.empty()) j["methods"] = k.methods;
  return j;
}

json network_fault_json(const NetworkFault& f) {
  return json{{"latency_ms", f.latency_ms},         {"jitter_ms", f.jitter_ms},
              {"bandwidth_kbps", f.bandwidth_kbps}, {"reset_rate", f.reset_rate},
              {"reset_existing", f.reset_existing}, {"blackhole", f.blackhole}};
}

template <typename T>
Status status_of(const kube::ApiResult<T>& r) {
  if (r.ok()) return Status();
  return r.error();
}

// An undo succeeds when there was nothing (left) to undo: the object is gone (404) or not in
// the state the undo reverses (409).
template <typename T>
Status undo_status(const kube::ApiResult<T>& r) {
  if (r.ok() || r.code() == 404 || r.code() == 409) return Status();
  return r.error();
}

const char* kind_collection(KubeChangeLog::Kind kind) {
  switch (kind) {
    case KubeChangeLog::Kind::kPod:
      return "pods";
    case KubeChangeLog::Kind::kDeployment:
      return "deployments";
    case KubeChangeLog::Kind::kHpa:
      return "horizontalpodautoscalers";
    case KubeChangeLog::Kind::kEvent:
      return "events";
  }
  return "";
}

std::optional<KubeChangeLog::Kind> collection_kind(const std::string& name) {
  for (auto kind : {KubeChangeLog::Kind::kPod, KubeChangeLog::Kind::kDeployment,
                    KubeChangeLog::Kind::kHpa, KubeChangeLog::Kind::kEvent}) {
    if (name == kind_collection(kind)) return kind;
  }
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<KubernetesPlatform>> KubernetesPlatform::connect(
    kube::RestConfig config, KubernetesPlatformOptions options) {
  std::string ns = !options.namespace_.empty()      ? options.namespace_
                   : !config.namespace_name.empty() ? config.namespace_name
                                                    : "default";
  auto credentials = std::make_shared<kube::Credentials>(std::move(config));
  auto client = kube::RestClient::create(credentials, options.rest);
  if (!client.ok()) return client.error();
  std::unique_ptr<KubernetesPlatform> platform(new KubernetesPlatform(
      std::move(credentials), std::move(client).value(), std::move(options), std::move(ns)));
  if (Status up = platform->ping(); !up.ok()) return up.error();
  if (Status found = platform->discover(); !found.ok()) return found.error();
  return platform;
}

KubernetesPlatform::KubernetesPlatform(std::shared_ptr<kube::Credentials> credentials,
                                       std::unique_ptr<kube::RestClient> client,
                                       KubernetesPlatformOptions options,
                                       std::string namespace_name)
    : credentials_(std::move(credentials)),
      client_(std::move(client)),
      options_(std::move(options)),
      namespace_(std::move(namespace_name)),
      names_{options_.name_prefix},
      clock_(KubeClock::now()),
      changes_(names_) {
  description_ = !options_.description.empty()
                     ? options_.description
                     : "Kubernetes " + credentials_->config().server + " (" +
                           credentials_->source() + ", namespace " + namespace_ + ")";
  identity_ = !options_.identity.empty()
                  ? options_.identity
                  : "Kubernetes " + credentials_->config().server + " namespace " + namespace_;
}

KubernetesPlatform::~KubernetesPlatform() {
  if (watcher_) watcher_->stop();
}

Status KubernetesPlatform::ping() {
  auto version = client_->get("/version");
  if (!version.ok()) return version.error().with_context(description_);
  return Status();
}

Status KubernetesPlatform::discover() {
  auto groups = client_->get("/apis");
  if (!groups.ok()) return groups.error().with_context(description_);
  const json& list = groups.value().contains("groups") ? groups.value()["groups"] : json();
  if (!list.is_array()) return Status();
  for (const json& g : list) {
    std::string name = kube_json::str(g, "name");
    if (name == kExtensionGroup) extensions_ = true;
    if (name == "metrics.k8s.io") metrics_ = true;
  }
  return Status();
}

std::string KubernetesPlatform::cannot(Capability what) const {
  switch (what) {
    case Capability::kPausePod:
      return extensions_ ? ""
                         : "pausing a container is a local runtime extension and Kubernetes has "
                           "no API for it (use a fault with hang = true, or Chaos Mesh's "
                           "PodChaos)";
    case Capability::kServiceFault:
      return extensions_ ? ""
                         : "a network fault in a Service's proxy is a local runtime extension; on "
                           "a cluster use a service mesh's fault injection (Istio, Linkerd) or "
                           "Chaos Mesh's NetworkChaos";
    case Capability::kPodFaults: {
      if (!faults_refusal_) {
        auto token = const_cast<KubernetesPlatform*>(this)->admin_token();
        faults_refusal_ = token.ok() ? "" : token.error().message();
      }
      return *faults_refusal_;
    }
  }
  return "";
}

Result<std::vector<json>> KubernetesPlatform::list(const std::string& path,
                                                   const kube::Query& query) {
  auto r = client_->get(path, query);
  if (!r.ok()) return r.error();
  const json& items = r.value().contains("items") ? r.value()["items"] : json();
  if (!items.is_array()) return Error("GET " + path + ": the answer has no items list");
  return items.get<std::vector<json>>();
}

Result<std::vector<DeploymentState>> KubernetesPlatform::deployments() {
  auto deployments = list("/apis/apps/v1/namespaces/" + namespace_ + "/deployments");
  if (!deployments.ok()) return deployments.error();
  auto services = list("/api/v1/namespaces/" + namespace_ + "/services");
  if (!services.ok()) return services.error();
  auto hpas = list("/apis/autoscaling/v2/namespaces/" + namespace_ + "/horizontalpodautoscalers");
  if (!hpas.ok()) return hpas.error();
  std::vector<DeploymentState> out;
  for (const json& d : deployments.value()) {
    auto state = read_deployment(d, services.value(), hpas.value(), names_, clock_);
    if (!state.ok()) return state.error();
    out.push_back(std::move(state).value());
  }
  return out;
}

Result<std::vector<PodState>> KubernetesPlatform::pods(const std::string& selector) {
  kube::Query query;
  if (!selector.empty()) {
    auto parsed = kube::LabelSelector::parse(selector);
    if (!parsed.ok()) return parsed.error();
    query.add("labelSelector", parsed.value().to_string());
  }
  auto items = list("/api/v1/namespaces/" + namespace_ + "/pods", query);
  if (!items.ok()) return items.error();
  std::map<std::string, double> cpu;
  if (metrics_) {
    // One quick try: a metrics-server that is down must not hold up the 1 s sampling.
    kube::RestRequest request(
        "GET", "/apis/metrics.k8s.io/v1beta1/namespaces/" + namespace_ + "/pods", query);
    request.max_attempts = 1;
    request.timeout = std::chrono::milliseconds(2000);
    auto answer = client_->call(request);
    json body = answer.ok() ? json::parse(answer.value().body, nullptr, false) : json();
    const json* metrics = body.is_object() && body.contains("items") ? &body["items"] : nullptr;
    if (metrics != nullptr && metrics->is_array()) {
      metrics_failures_ = 0;
      for (const json& m : *metrics) {
        auto millicores = read_pod_metrics_millicores(m);
        std::string name = kube_json::str(kube_json::at(m, "metadata"), "name");
        if (millicores.ok() && !name.empty()) cpu[name] = millicores.value();
      }
    } else if (answer.code() == 403 || answer.code() == 404 || ++metrics_failures_ >= 3) {
      metrics_ = false;  // no metrics-server, not allowed to read it, or down: CPU stays unknown
    }
  }
  std::vector<PodState> out;
  for (const json& p : items.value()) {
    auto state = read_pod(p, names_, clock_);
    if (!state.ok()) return state.error();
    auto it = cpu.find(state.value().name);
    if (it != cpu.end()) {
      state.value().cpu_millicores = std::round(it->second * 10) / 10;
      double request = pod_cpu_request_millicores(p);
      if (request > 0) state.value().cpu_utilization = std::round(it->second * 100 / request);
    }
    out.push_back(std::move(state).value());
  }
  return out;
}

Result<std::vector<HpaState>> KubernetesPlatform::hpas() {
  auto items = list("/apis/autoscaling/v2/namespaces/" + namespace_ + "/horizontalpodautoscalers");
  if (!items.ok()) return items.error();
  std::vector<HpaState> out;
  for (const json& h : items.value()) {
    auto state = read_hpa(h, names_, clock_);
    if (!state.ok()) return state.error();
    if (state.value()) out.push_back(*state.value());
  }
  return out;
}

Status KubernetesPlatform::start_watching() {
  std::vector<kube::WatchCollection> collections;
  std::string core = "/api/v1/namespaces/" + namespace_;
  collections.push_back({"pods", core + "/pods", "", ""});
  collections.push_back(
      {"deployments", "/apis/apps/v1/namespaces/" + namespace_ + "/deployments", "", ""});
  collections.push_back(
      {"horizontalpodautoscalers",
       "/apis/autoscaling/v2/namespaces/" + namespace_ + "/horizontalpodautoscalers", "", ""});
  collections.push_back({"events", core + "/events", "", ""});
  kube::WatchCallbacks callbacks;
  callbacks.on_list = [this](const std::string& collection, const std::vector<json>& items,
                             const std::string&, int64_t observed_ns) {
    auto kind = collection_kind(collection);
    if (!kind) return;
    std::lock_guard<std::mutex> lock(mu_);
    changes_.on_list(*kind, items, observed_ns);
  };
  callbacks.on_event = [this](const std::string& collection, const kube::WatchEvent& event) {
    auto kind = collection_kind(collection);
    if (!kind) return;
    const char* type = event.type == kube::WatchEventType::kAdded      ? "ADDED"
                       : event.type == kube::WatchEventType::kModified ? "MODIFIED"
                                                                       : "DELETED";
    std::lock_guard<std::mutex> lock(mu_);
    changes_.on_event(*kind, type, event.object, event.observed_ns);
  };
  watcher_ = std::make_unique<kube::Watcher>(credentials_, std::move(collections),
                                             std::move(callbacks), options_.watch);
  Status started = watcher_->start();
  if (!started.ok()) {
    watcher_.reset();
    return started.error().with_context(description_ + ": watching");
  }
  Status synced = watcher_->wait_synced(options_.sync_timeout);
  if (!synced.ok()) return synced.error().with_context(description_ + ": watching");
  return Status();
}

Result<EventBatch> KubernetesPlatform::events_since(int64_t cursor) {
  if (!watcher_) {
    // Waits for the first lists once. If they do not all come, the watcher keeps retrying in
    // the background and later calls answer at once with what arrived: the chaos thread is
    // never held up again.
    Status st = start_watching();
    if (!st.ok()) return st.error();
  }
  std::lock_guard<std::mutex> lock(mu_);
  return changes_.since(cursor);
}

kube::ApiResult<int> KubernetesPlatform::pod_port(const std::string& pod,
                                                  std::initializer_list<const char*> names) {
  std::string path = "/api/v1/namespaces/" + namespace_ + "/pods/" + segment(pod);
  auto object = client_->get(path);
  if (!object.ok()) return object.api_error();  // keeps the code: 404 is "the pod is gone"
  kube::RequestInfo info = kube::describe_request("GET", path);
  auto state = read_pod(object.value(), names_, clock_);
  if (!state.ok()) return kube::no_answer_error(info, state.error().message());
  std::string tried;
  for (const char* name : names) {
    auto it = state.value().ports.find(name);
    if (it != state.value().ports.end() && it->second > 0) return it->second;
    tried += (tried.empty() ? "" : " or ") + std::string(name);
  }
  return kube::no_answer_error(info, "pod " + pod + " has no container port named " + tried);
}

Result<std::string> KubernetesPlatform::pod_metrics(const std::string& pod) {
  // pods/proxy takes a port number: the API server does not look names up.
  auto port = pod_port(pod, {"metrics", "http"});
  if (!port.ok()) return port.error();
  kube::RestRequest request;
  request.proxied = true;
  request.path = "/api/v1/namespaces/" + namespace_ + "/pods/" + segment(pod) + ":" +
                 std::to_string(port.value()) + "/proxy/metrics";
  request.accept = "text/plain, */*";
  auto r = client_->call(request);
  if (!r.ok()) return r.error();
  return std::move(r).value().body;
}

Status KubernetesPlatform::kill_pod(const std::string& pod) {
  // A force delete: no grace period, the pod object goes at once and its ReplicaSet replaces it.
  return status_of(client_->remove("/api/v1/namespaces/" + namespace_ + "/pods/" + segment(pod),
                                   json{{"gracePeriodSeconds", 0}}));
}

Status KubernetesPlatform::terminate_pod(const std::string& pod, double grace_seconds) {
  json options = nullptr;
  if (grace_seconds >= 0) {
    options = json{{"gracePeriodSeconds", static_cast<int64_t>(std::ceil(grace_seconds))}};
  }
  return status_of(
      client_->remove("/api/v1/namespaces/" + namespace_ + "/pods/" + segment(pod), options));
}

Status KubernetesPlatform::pause_pod(const std::string& pod) {
  if (!extensions_) return Error(cannot(Capability::kPausePod));
  return status_of(client_->create(std::string("/apis/") + kExtensionGroup + "/v1/namespaces/" +
                                       namespace_ + "/pods/" + segment(pod) + "/pause",
                                   json::object()));
}

Status KubernetesPlatform::resume_pod(const std::string& pod) {
  if (!extensions_) return Status();  // nothing can have been paused
  return undo_status(client_->create(std::string("/apis/") + kExtensionGroup + "/v1/namespaces/" +
                                         namespace_ + "/pods/" + segment(pod) + "/resume",
                                     json::object()));
}

Status KubernetesPlatform::scale(const std::string& deployment, int replicas) {
  return status_of(client_->patch("/apis/apps/v1/namespaces/" + namespace_ + "/deployments/" +
                                      segment(names_.expand(deployment)) + "/scale",
                                  json{{"spec", {{"replicas", replicas}}}}, kube::kMergePatch));
}

Status KubernetesPlatform::rollout_restart(const std::string& deployment) {
  // What `kubectl rollout restart` sends: a new restartedAt annotation on the pod template
  // (microseconds, so two restarts within a second still differ).
  int64_t now_us = (monotonic_now() + clock_.realtime_minus_mono_ns) / kNanosPerMicro;
  json patch = {
      {"spec",
       {{"template",
         {{"metadata", {{"annotations", {{kRestartedAt, kube::format_micro_time(now_us)}}}}}}}}}};
  return status_of(client_->patch("/apis/apps/v1/namespaces/" + namespace_ + "/deployments/" +
                                      segment(names_.expand(deployment)),
                                  patch, kube::kStrategicMergePatch));
}

Result<std::string> KubernetesPlatform::admin_token() {
  if (admin_token_) return *admin_token_;
  if (!options_.admin_token.empty()) return *(admin_token_ = options_.admin_token);
  if (const char* env = std::getenv("STAMPEDE_ADMIN_TOKEN"); env != nullptr && *env != '\0') {
    return *(admin_token_ = std::string(env));
  }
  std::string secret = options_.admin_token_secret.empty() ? names_.prefix + "admin-token"
                                                           : options_.admin_token_secret;
  auto object = client_->get("/api/v1/namespaces/" + namespace_ + "/secrets/" + segment(secret));
  if (!object.ok()) {
    return Error(
        "the shop's admin token (for the fault knobs): STAMPEDE_ADMIN_TOKEN is not set "
        "and the Secret '" +
        secret + "' cannot be read: " + object.error().message());
  }
  const json& data = object.value().contains("data") ? object.value()["data"] : json();
  if (!data.is_object() || !data.contains("admin-token") || !data["admin-token"].is_string()) {
    return Error("the Secret '" + secret + "' has no data.admin-token");
  }
  auto decoded = kube::base64_decode(data["admin-token"].get<std::string>());
  if (!decoded) return Error("the Secret '" + secret + "': data.admin-token is not base64");
  return *(admin_token_ = *decoded);
}

kube::ApiResult<kube::RestResponse> KubernetesPlatform::admin_call(const std::string& pod,
                                                                   const std::string& method,
                                                                   const std::string& body) {
  kube::RequestInfo info = kube::describe_request(
      method, "/api/v1/namespaces/" + namespace_ + "/pods/" + segment(pod) + "/proxy");
  auto token = admin_token();
  if (!token.ok()) return kube::no_answer_error(info, token.error().message());
  auto port = pod_port(pod, {"admin"});
  if (!port.ok()) return port.api_error();
  kube::RestRequest request;
  request.proxied = true;
  request.method = method;
  request.path = "/api/v1/namespaces/" + namespace_ + "/pods/" + segment(pod) + ":" +
                 std::to_string(port.value()) + "/proxy/admin/faults";
  request.body = body;
  // The API server drops the Authorization header it authenticated, so the pod's own token
  // travels in the shop's X-Admin-Token header.
  request.headers.emplace_back("X-Admin-Token", token.value());
  return client_->call(request);
}

Status KubernetesPlatform::set_pod_faults(const std::string& pod, const FaultKnobs& knobs) {
  return status_of(admin_call(pod, "PUT", fault_knobs_json(knobs).dump()));
}

Status KubernetesPlatform::check_pod_faults(const std::string& pod) {
  auto r = admin_call(pod, "GET", "");
  if (r.ok()) return Status();
  std::string hint;
  if (r.code() == 502 || r.code() == 503) {
    hint =
        " — the API server cannot reach the pod's admin endpoint: it must listen on the pod's "
        "address (the shop chart: adminToken.listenOnPodIP=true, as in values-chaos.yaml)";
  } else if (r.code() == 401) {
    hint =
        " — the pod refused the admin token (STAMPEDE_ADMIN_TOKEN or the admin-token Secret "
        "is not the one the pods were given)";
  }
  return Error(r.error().message() + hint);
}

Status KubernetesPlatform::clear_pod_faults(const std::string& pod) {
  return undo_status(admin_call(pod, "DELETE", ""));
}

Status KubernetesPlatform::set_service_fault(const std::string& service,
                                             const NetworkFault& fault) {
  if (!extensions_) return Error(cannot(Capability::kServiceFault));
  return status_of(client_->replace(std::string("/apis/") + kExtensionGroup + "/v1/namespaces/" +
                                        namespace_ + "/services/" +
                                        segment(names_.expand(service)) + "/fault",
                                    network_fault_json(fault)));
}

Status KubernetesPlatform::clear_service_fault(const std::string& service) {
  if (!extensions_) return Status();
  kube::RestRequest request;
  request.method = "DELETE";
  request.path = std::string("/apis/") + kExtensionGroup + "/v1/namespaces/" + namespace_ +
                 "/services/" + segment(names_.expand(service)) + "/fault";
  return undo_status(client_->call(request));
}

}  // namespace stampede
