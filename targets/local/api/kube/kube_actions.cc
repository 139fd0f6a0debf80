#include "targets/local/api/kube/kube_actions.h"

#include <cstdlib>

#include "targets/kubernetes/kube_json.h"
#include "targets/local/api/kube/kube_patch.h"
#include "targets/local/api/kube/kube_update_plan.h"
#include "targets/local/api/kube/render_context.h"
#include "targets/local/api/kube/render_workloads.h"
#include "targets/local/runtime/clock.h"

namespace stampede::local::kube {

using nlohmann::json;
using stampede::kube::ApiStatus;

namespace {

struct DeleteOptions {
  std::optional<int64_t> grace;
  std::string uid, resource_version;
  bool dry_run = false;
};

bool parse_int(const std::string& text, int64_t& out) {
  if (text.empty() || text.size() > 12) return false;
  char* end = nullptr;
  out = std::strtoll(text.c_str(), &end, 10);
  return *end == '\0';
}

// DeleteOptions from the body (JSON) and the query; "" or the 400 message.
std::string parse_delete_options(const KubeRequest& r, DeleteOptions& o) {
  if (!r.body.empty()) {
    json body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return "the body must be a DeleteOptions object";
    if (body.contains("gracePeriodSeconds") && !body["gracePeriodSeconds"].is_null()) {
      if (!body["gracePeriodSeconds"].is_number_integer()) {
        return "gracePeriodSeconds: must be an integer";
      }
      o.grace = body["gracePeriodSeconds"].get<int64_t>();
    }
    const json& pre = body.value("preconditions", json::object());
    if (pre.is_object()) {
      if (pre.contains("uid") && pre["uid"].is_string()) o.uid = pre["uid"];
      if (pre.contains("resourceVersion") && pre["resourceVersion"].is_string()) {
        o.resource_version = pre["resourceVersion"];
      }
    }
    const json& dry = body.value("dryRun", json::array());
    if (dry.is_array()) {
      for (const json& d : dry) {
        if (d != "All")
          return "dryRun: Unsupported value: " + d.dump() + ": supported values: \"All\"";
        o.dry_run = true;
      }
    }
    const json& policy_field = stampede::kube_json::at(body, "propagationPolicy");
    if (!policy_field.is_null() && !policy_field.is_string()) {
      return "propagationPolicy: must be a string";
    }
    std::string policy = stampede::kube_json::str(body, "propagationPolicy");
    if (!policy.empty() && policy != "Orphan" && policy != "Background" && policy != "Foreground") {
      return "propagationPolicy: Unsupported value: \"" + policy +
             "\": supported values: \"Foreground\", \"Background\", \"Orphan\"";
    }
  }
  if (auto g = r.query.get("gracePeriodSeconds")) {
    int64_t v = 0;
    if (!parse_int(*g, v)) return "gracePeriodSeconds: must be an integer, got \"" + *g + "\"";
    o.grace = v;
  }
  for (const std::string& d : r.query.get_all("dryRun")) {
    if (d != "All") return "dryRun: Unsupported value: \"" + d + "\": supported values: \"All\"";
    o.dry_run = true;
  }
  return "";
}

ApiStatus conflict(const std::string& resource, const std::string& name, const std::string& why) {
  ApiStatus s;
  s.code = 409;
  s.reason = "Conflict";
  s.message = "Operation cannot be fulfilled on " + resource + " \"" + name + "\": " + why;
  s.name = name;
  s.kind = resource.substr(0, resource.find('.'));
  return s;
}

bool dry_run(const KubeRequest& r) {
  for (const std::string& d : r.query.get_all("dryRun")) {
    if (d == "All") return true;
  }
  return false;
}

}  // namespace

http::Reply KubeActions::delete_pod(const http::Request& request, const KubeRequest& r,
                                    const Route& route) {
  DeleteOptions o;
  if (std::string e = parse_delete_options(r, o); !e.empty()) return status_reply(request, 400, e);
  ObjectPtr stored = route.namespace_ == kNamespace ? store_.get("pods", route.name) : nullptr;
  if (!stored) return status_reply(request, not_found("pods", "", route.name));
  const json& meta = (*stored)["metadata"];
  if (!o.uid.empty() && o.uid != meta["uid"]) {
    return status_reply(request,
                        conflict("pods", route.name,
                                 "Precondition failed: UID in precondition: " + o.uid +
                                     ", UID in object meta: " + meta["uid"].get<std::string>()));
  }
  if (!o.resource_version.empty() && o.resource_version != meta["resourceVersion"]) {
    return status_reply(
        request,
        conflict(
            "pods", route.name,
            "Precondition failed: ResourceVersion in precondition: " + o.resource_version +
                ", ResourceVersion in object meta: " + meta["resourceVersion"].get<std::string>()));
  }
  int default_grace = (*stored)["spec"].value("terminationGracePeriodSeconds", 30);
  // A negative grace period counts as 1 s, as the API server has it for pods.
  int grace = o.grace ? static_cast<int>(std::min<int64_t>(std::max<int64_t>(*o.grace, 1), 86400))
                      : default_grace;
  if (o.grace && *o.grace == 0) grace = 0;
  if (o.dry_run) {
    json preview = *stored;
    if (!preview["metadata"].contains("deletionTimestamp")) {
      preview["metadata"]["deletionTimestamp"] =
          renderer_.context().time(mono_now_ns() + int64_t{grace} * 1'000'000'000);
      preview["metadata"]["deletionGracePeriodSeconds"] = grace;
    }
    return object_reply(request, 200, preview);
  }
  const std::string name = route.name;
  auto done = rt_.call([this, name, grace] {
    auto pod = rt_.pod(name);
    if (!pod) return false;
    pod->terminate(grace, "deleted through the Kubernetes API");
    renderer_.render_now();
    return true;
  });
  if (!done.ok()) return status_reply(request, 503, done.error().message());
  if (!done.value()) return status_reply(request, not_found("pods", "", name));
  ObjectPtr now = store_.get("pods", name);
  return object_reply(request, 200, now ? *now : *stored);
}

http::Reply KubeActions::write_deployment(const http::Request& request, const KubeRequest& r,
                                          const Route& route) {
  const bool scale = route.subresource == "scale";
  ObjectPtr stored =
      route.namespace_ == kNamespace ? store_.get("deployments", route.name) : nullptr;
  if (!stored) return status_reply(request, not_found("deployments", "apps", route.name));
  json current = scale ? scale_of(*stored) : *stored;
  json desired;
  if (r.method == "PATCH") {
    auto type = patch_type_for(r.content_type);
    if (!type) {
      return status_reply(request, 415,
                          "the body of the request was in an unknown format - accepted media "
                          "types include: application/json-patch+json, "
                          "application/merge-patch+json, application/strategic-merge-patch+json");
    }
    PatchOutcome patched = apply_patch(current, *type, r.body);
    if (patched.code != 200) return status_reply(request, patched.code, patched.error);
    desired = std::move(patched.document);
  } else {
    desired = json::parse(r.body, nullptr, false);
    if (desired.is_discarded()) {
      return status_reply(request, 400, "the body is not JSON");
    }
  }
  UpdatePlan plan =
      scale ? plan_scale_update(current, desired) : plan_deployment_update(current, desired);
  if (!plan.ok()) return status_reply(request, plan.error);
  if (dry_run(r)) return object_reply(request, 200, desired);
  const std::string name = route.name;
  auto done = rt_.call([this, name, plan] {
    Deployment* d = rt_.deployment(name);
    if (d == nullptr) return false;
    if (plan.replicas && *plan.replicas != d->replicas()) {
      (void)d->scale(*plan.replicas, false, "through the Kubernetes API");
    }
    if (plan.template_annotations && *plan.template_annotations != d->template_annotations()) {
      d->rollout_restart(*plan.template_annotations);
    }
    renderer_.render_now();
    return true;
  });
  if (!done.ok()) return status_reply(request, 503, done.error().message());
  if (!done.value()) return status_reply(request, not_found("deployments", "apps", name));
  ObjectPtr now = store_.get("deployments", name);
  if (!now) return status_reply(request, not_found("deployments", "apps", name));
  return object_reply(request, 200, scale ? scale_of(*now) : *now);
}

}  // namespace stampede::local::kube
