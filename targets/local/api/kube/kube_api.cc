#include "targets/local/api/kube/kube_api.h"

#include <unistd.h>

#include "targets/local/api/api_request.h"
#include "targets/local/api/kube/kube_discovery.h"
#include "targets/local/api/kube/kube_proxy.h"

namespace stampede::local::kube {

using nlohmann::json;
namespace bhttp = boost::beast::http;

KubeApi::KubeApi(Runtime& runtime, KubeApiOptions options, RenderContext ctx)
    : rt_(runtime),
      options_(std::move(options)),
      store_(options_.history),
      renderer_(runtime, store_, logs_, std::move(ctx)),
      hub_(store_),
      streamer_(logs_),
      reads_(store_, hub_, logs_, streamer_),
      actions_(runtime, store_, renderer_) {
  store_.set_on_change([this] { hub_.notify(); });
}

Result<std::unique_ptr<KubeApi>> KubeApi::start(Runtime& runtime, KubeApiOptions options) {
  bool extensions = options.extensions;
  auto ctx = runtime.call([&runtime, extensions] {
    RenderContext c =
        RenderContext::make(std::to_string(::getpid()) + "-" + std::to_string(runtime.started_ns()),
                            runtime.started_ns());
    c.admin_token = runtime.options().admin_token;
    c.log_dir = runtime.options().state_dir + "/logs";
    c.extensions = extensions;
    return c;
  });
  if (!ctx.ok()) return ctx.error().with_context("Kubernetes API");
  std::unique_ptr<KubeApi> api(new KubeApi(runtime, std::move(options), ctx.value()));
  KubeApi* a = api.get();
  auto installed = runtime.call([a] {
    a->renderer_.render_now();
    a->rt_.set_observer([a] { a->renderer_.observe(); });
    return true;
  });
  if (!installed.ok()) return installed.error().with_context("Kubernetes API");
  return api;
}

KubeApi::~KubeApi() {
  stop();
}

void KubeApi::stop() {
  if (stopped_.exchange(true)) return;
  (void)rt_.call([this] {
    rt_.set_observer(nullptr);
    return true;
  });
  hub_.stop();
  streamer_.stop();
}

http::Reply KubeApi::handle(const http::Request& request) {
  auto parsed = parse_kube_request(request);
  if (!parsed.ok()) return status_reply(request, 400, parsed.error().message());
  return dispatch(request, parsed.value());
}

http::Reply KubeApi::dispatch(const http::Request& request, const KubeRequest& r) {
  auto options = parse_list_options(r.query);
  const bool extensions = options_.extensions;
  Route route = kube::route(r, options.ok() && options.value().watch, extensions);
  // /version and the health checks need no credentials; a wrong credential is refused anyway.
  bool open = route.kind == Route::Kind::kHealth || route.kind == Route::Kind::kVersion;
  if (r.authorization.empty() ? !open : !token_matches(r.authorization, options_.token)) {
    return status_reply(request, 401, "Unauthorized");
  }
  switch (route.kind) {
    case Route::Kind::kNotFound:
      return status_reply(request, 404, "the server could not find the requested resource");
    case Route::Kind::kHealth:
      return {http::make_response(request, bhttp::status::ok, "text/plain", "ok")};
    case Route::Kind::kVersion:
      return object_reply(request, 200, version_info());
    case Route::Kind::kApiVersions:
      return object_reply(request, 200, api_versions(port_));
    case Route::Kind::kGroupList:
      return object_reply(request, 200, api_group_list(extensions));
    case Route::Kind::kGroup:
      return object_reply(request, 200, api_group(route.group, extensions));
    case Route::Kind::kResourceList:
      return object_reply(request, 200, api_resource_list(route.group, route.version, extensions));
    case Route::Kind::kResource:
      break;
  }
  if (!options.ok()) return status_reply(request, 400, options.error().message());
  const ResourceInfo& resource = *route.resource;
  if (route.verb.empty() || !resource.allows(route.verb)) {
    return status_reply(request, 405,
                        "the server does not allow this method on the requested resource");
  }
  Negotiated format = negotiate(r.accept);
  if (!format.acceptable) {
    return status_reply(request, 406,
                        "only the following media types are accepted: "
                        "application/json, application/json;as=Table;v=v1;g=meta.k8s.io");
  }
  const std::string& sub = route.subresource;
  if (sub == "log") return reads_.logs(request, r, route);
  if (sub == "proxy") return proxy_to_pod(request, r, route, store_);
  if (sub == "pause" || sub == "resume") return actions_.pause_resume(request, route);
  if (sub == "fault") return actions_.service_fault(request, r, route);
  const std::string& verb = route.verb;
  if (verb == "get") return reads_.get(request, route, format, options.value());
  if (verb == "list") return reads_.list(request, route, format, options.value());
  if (verb == "watch") return reads_.watch(request, route, format, options.value());
  if (verb == "delete") return actions_.delete_pod(request, r, route);
  if (verb == "patch" || verb == "update") return actions_.write_deployment(request, r, route);
  return status_reply(request, 405,
                      "the server does not allow this method on the requested resource");
}

}  // namespace stampede::local::kube
