// The local.stampede.dev/v1 actions of KubeActions: what only the local runtime can do — pause
// and resume a pod's process, and the Service proxy's network fault.
#include "targets/local/api/api_actions.h"
#include "targets/local/api/api_views.h"
#include "targets/local/api/kube/kube_actions.h"
#include "targets/local/api/kube/render_context.h"

namespace stampede::local::kube {

using nlohmann::json;
using stampede::kube::ApiStatus;

namespace {

// A Service's fault as an object of the extension group; every field 0/false when none is set.
json fault_object(const std::string& service, const ProxyFault& f) {
  return {{"kind", "ServiceFault"},
          {"apiVersion", std::string(kExtensionGroup) + "/v1"},
          {"metadata", {{"name", service}, {"namespace", kNamespace}}},
          {"spec",
           {{"latency_ms", f.latency_ms},
            {"jitter_ms", f.jitter_ms},
            {"bandwidth_kbps", f.bandwidth_kbps},
            {"reset_rate", f.reset_rate},
            {"reset_existing", f.reset_existing},
            {"blackhole", f.blackhole}}}};
}

}  // namespace

http::Reply KubeActions::pause_resume(const http::Request& request, const Route& route) {
  if (route.namespace_ != kNamespace)
    return status_reply(request, not_found("pods", "", route.name));
  const std::string name = route.name;
  const bool pause = route.subresource == "pause";
  struct Outcome {
    int code = 200;
    std::string error;
  };
  auto done = rt_.call([this, name, pause]() -> Outcome {
    auto pod = rt_.pod(name);
    if (!pod) return {404, ""};
    Result<uint64_t> seq = pause ? pod->pause() : pod->resume();
    if (!seq.ok()) return {409, seq.error().message()};
    renderer_.render_now();
    return {};
  });
  if (!done.ok()) return status_reply(request, 503, done.error().message());
  if (done.value().code == 404) return status_reply(request, not_found("pods", "", name));
  if (done.value().code == 409) {
    ApiStatus s;
    s.code = 409;
    s.reason = "Conflict";
    s.message = "Operation cannot be fulfilled on pods \"" + name + "\": " + done.value().error;
    s.name = name;
    s.kind = "pods";
    return status_reply(request, s);
  }
  ObjectPtr pod = store_.get("pods", name);
  if (!pod) return status_reply(request, not_found("pods", "", name));
  return object_reply(request, 200, *pod);
}

http::Reply KubeActions::service_fault(const http::Request& request, const KubeRequest& r,
                                       const Route& route) {
  const std::string name = route.name;
  if (route.namespace_ != kNamespace) return status_reply(request, not_found("services", "", name));
  ProxyFault fault;
  std::string detail = "service cleared";
  const bool set = r.method == "PUT";
  if (set) {
    json body = json::parse(r.body.empty() ? "{}" : r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return status_reply(request, 400, "the body must be a JSON object of fault fields");
    }
    // The body may be the fault fields themselves or a ServiceFault object with them in spec.
    if (body.contains("spec") && body["spec"].is_object()) body = body["spec"];
    auto parsed = parse_proxy_fault(body);
    if (!parsed.ok()) return status_reply(request, 400, parsed.error().message());
    fault = parsed.value();
    detail = "service " + body.dump();
  }
  const std::string method = r.method;
  struct Outcome {
    bool found = false;
    std::string error;
    ProxyFault now;
  };
  auto done = rt_.call([this, name, method, fault, detail]() -> Outcome {
    ServiceProxy* proxy = rt_.proxy(name);
    if (proxy == nullptr) return {};
    Outcome out{true, "", proxy->fault()};
    if (method == "PUT" || method == "DELETE") {
      if (method == "DELETE") {
        proxy->clear_fault();
      } else if (auto s = proxy->set_fault(fault); !s.ok()) {
        out.error = s.error().message();
        return out;
      }
      rt_.events().add(method == "DELETE" ? "fault-cleared" : "fault-set", name, "", detail);
      renderer_.render_now();
      out.now = proxy->fault();
    }
    return out;
  });
  if (!done.ok()) return status_reply(request, 503, done.error().message());
  if (!done.value().found) return status_reply(request, not_found("services", "", name));
  if (!done.value().error.empty()) return status_reply(request, 400, done.value().error);
  return object_reply(request, 200, fault_object(name, done.value().now));
}

}  // namespace stampede::local::kube
