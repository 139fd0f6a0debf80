#include "targets/local/api/api_actions.h"

#include <set>

#include "targets/local/probe/http_call.h"

namespace stampede::local {

using nlohmann::json;

namespace {

ActionAnswer fail(int status, const std::string& message) {
  return {status, {{"error", message}}};
}

ActionAnswer ok(uint64_t seq, json extra = json::object()) {
  extra["ok"] = true;
  extra["event_seq"] = seq;
  return {200, extra};
}

// Runs `fn` (returning an ActionAnswer) on the control thread.
template <typename F>
ActionAnswer on_control(Runtime& rt, F fn) {
  auto r = rt.call(std::move(fn));
  if (!r.ok()) return fail(503, r.error().message());
  return r.value();
}

ActionAnswer pod_action(Runtime& rt, const std::string& name, const std::string& action,
                        const json& body) {
  int grace = -1;
  if (action == "terminate" && body.contains("grace_period_seconds")) {
    const json& g = body["grace_period_seconds"];
    if (!g.is_number_integer() || g.get<int64_t>() < 0 || g.get<int64_t>() > 86400) {
      return fail(400, "grace_period_seconds: expected an integer 0..86400, got " + g.dump());
    }
    grace = g.get<int>();
  }
  return on_control(rt, [&rt, name, action, grace]() -> ActionAnswer {
    auto pod = rt.pod(name);
    if (!pod) return fail(404, "unknown pod '" + name + "'");
    Result<uint64_t> seq = Error("");
    if (action == "kill") {
      seq = pod->kill();
    } else if (action == "pause") {
      seq = pod->pause();
    } else if (action == "resume") {
      seq = pod->resume();
    } else {
      if (pod->deleting()) return fail(409, "pod " + name + " is already terminating");
      seq = pod->terminate(grace >= 0 ? grace : pod->spec().termination_grace_period_seconds,
                           "terminated through the API");
    }
    if (!seq.ok()) return fail(409, seq.error().message());
    return ok(seq.value(), {{"pod", name}});
  });
}

ActionAnswer pod_faults(Runtime& rt, const std::string& name, const std::string& method,
                        const std::string& body) {
  struct Target {
    int status = 200;
    std::string error;
    uint16_t port = 0;
  };
  auto target = rt.call([&rt, name]() -> Target {
    auto pod = rt.pod(name);
    if (!pod) return {404, "unknown pod '" + name + "'", 0};
    for (const ContainerPort& p : pod->spec().ports) {
      if (p.env != "ADMIN_PORT" && p.name != "admin") continue;
      auto port = pod->ports().find(p.name);
      if (pod->pid() <= 0) return {409, "pod " + name + " has no running container", 0};
      return {200, "", port->second};
    }
    return {409, "pod " + name + " has no admin port (a container port with env ADMIN_PORT)", 0};
  });
  if (!target.ok()) return fail(503, target.error().message());
  if (target.value().status != 200) return fail(target.value().status, target.value().error);
  auto answer = http_call("127.0.0.1", target.value().port, method, "/admin/faults",
                          {{"Authorization", "Bearer " + rt.options().admin_token},
                           {"Content-Type", "application/json"}},
                          body, std::chrono::seconds(5));
  if (!answer.ok())
    return fail(502, "pod " + name + " admin endpoint: " + answer.error().message());
  json knobs = json::parse(answer.value().body, nullptr, false);
  if (answer.value().status != 200) {
    std::string message = knobs.is_object() && knobs.contains("error") && knobs["error"].is_string()
                              ? knobs["error"].get<std::string>()
                              : answer.value().body;
    return fail(answer.value().status == 400 ? 400 : 502, message);
  }
  std::string kind = method == "DELETE" ? "fault-cleared" : "fault-set";
  std::string detail = method == "DELETE" ? "all knobs off" : body;
  auto seq = rt.call([&rt, kind, name, detail] {
    auto pod = rt.pod(name);
    return rt.events().add(kind, pod ? pod->deployment() : "", name, detail);
  });
  if (!seq.ok()) return fail(503, seq.error().message());
  return ok(seq.value(), {{"pod", name}, {"faults", knobs.is_discarded() ? json(nullptr) : knobs}});
}

ActionAnswer deployment_action(Runtime& rt, const std::string& name, const std::string& action,
                               const json& body) {
  int replicas = -1;
  if (action == "scale") {
    if (!body.contains("replicas") || !body["replicas"].is_number_integer() ||
        body["replicas"].get<int64_t>() < 0 || body["replicas"].get<int64_t>() > 1000) {
      return fail(400, "replicas: expected an integer 0..1000, got " +
                           (body.contains("replicas") ? body["replicas"].dump() : "nothing"));
    }
    replicas = body["replicas"].get<int>();
  }
  return on_control(rt, [&rt, name, action, replicas]() -> ActionAnswer {
    Deployment* d = rt.deployment(name);
    if (d == nullptr) return fail(404, "unknown deployment '" + name + "'");
    if (action == "restart") {
      uint64_t seq = d->rollout_restart();
      return ok(seq, {{"revision", d->revision()}});
    }
    auto seq = d->scale(replicas, false, "through the API");
    if (!seq.ok()) return fail(400, seq.error().message());
    return ok(seq.value(), {{"replicas", replicas}});
  });
}

ActionAnswer service_fault(Runtime& rt, const std::string& name, bool clear, const json& body) {
  ProxyFault fault;
  if (!clear) {
    auto f = parse_proxy_fault(body);
    if (!f.ok()) return fail(400, f.error().message());
    fault = f.value();
  }
  std::string detail = clear ? "cleared" : body.dump();
  return on_control(rt, [&rt, name, clear, fault, detail]() -> ActionAnswer {
    ServiceProxy* proxy = rt.proxy(name);
    if (proxy == nullptr) return fail(404, "unknown service '" + name + "'");
    if (clear) {
      proxy->clear_fault();
    } else if (auto s = proxy->set_fault(fault); !s.ok()) {
      return fail(400, s.error().message());
    }
    return ok(rt.events().add(clear ? "fault-cleared" : "fault-set", name, "", "service " + detail),
              {{"service", name}});
  });
}

}  // namespace

Result<ProxyFault> parse_proxy_fault(const json& body) {
  static const std::set<std::string> kFields = {"latency_ms", "jitter_ms",      "bandwidth_kbps",
                                                "reset_rate", "reset_existing", "blackhole"};
  ProxyFault f;
  for (const auto& [key, value] : body.items()) {
    if (kFields.count(key) == 0) return Error(key + ": unknown fault field");
    bool flag = key == "reset_existing" || key == "blackhole";
    if (flag ? !value.is_boolean() : !value.is_number()) {
      return Error(key + ": expected " + (flag ? "true or false" : "a number") + ", got " +
                   value.dump());
    }
  }
  f.latency_ms = body.value("latency_ms", 0.0);
  f.jitter_ms = body.value("jitter_ms", 0.0);
  f.bandwidth_kbps = body.value("bandwidth_kbps", 0.0);
  f.reset_rate = body.value("reset_rate", 0.0);
  f.reset_existing = body.value("reset_existing", false);
  f.blackhole = body.value("blackhole", false);
  return f;
}

ActionAnswer run_action(Runtime& rt, const ApiRequest& req) {
  const auto& p = req.path;
  json body;
  std::string error;
  bool is_faults = p.size() == 4 && p[1] == "pods" && p[3] == "faults";
  if (!is_faults && !parse_json_body(req.body, body, error)) return fail(400, error);
  if (p.size() == 2 && p[1] == "shutdown") {
    if (req.method != "POST") return fail(405, "use POST for /v1/shutdown");
    return on_control(rt, [&rt] { return ok(rt.events().add("shutdown", "", "", "requested")); });
  }
  if (p.size() == 4 && p[1] == "pods") {
    static const std::set<std::string> kActions = {"kill", "terminate", "pause", "resume"};
    if (is_faults) {
      if (req.method != "PUT" && req.method != "DELETE") {
        return fail(405, "use PUT or DELETE for /v1/pods/{name}/faults");
      }
      return pod_faults(rt, p[2], req.method, req.method == "PUT" ? req.body : "");
    }
    if (kActions.count(p[3]) == 0) return fail(404, "unknown pod action '" + p[3] + "'");
    if (req.method != "POST") return fail(405, "use POST for /v1/pods/{name}/" + p[3]);
    return pod_action(rt, p[2], p[3], body);
  }
  if (p.size() == 4 && p[1] == "deployments") {
    if (p[3] != "scale" && p[3] != "restart") {
      return fail(404, "unknown deployment action '" + p[3] + "'");
    }
    if (req.method != "POST") return fail(405, "use POST for /v1/deployments/{name}/" + p[3]);
    return deployment_action(rt, p[2], p[3], body);
  }
  if (p.size() == 4 && p[1] == "services" && p[3] == "fault") {
    if (req.method != "PUT" && req.method != "DELETE") {
      return fail(405, "use PUT or DELETE for /v1/services/{name}/fault");
    }
    return service_fault(rt, p[2], req.method == "DELETE", body);
  }
  bool known = p.size() >= 2 && (p[1] == "status" || p[1] == "deployments" || p[1] == "pods" ||
                                 p[1] == "hpas" || p[1] == "services" || p[1] == "events");
  if (known && p.size() <= 3) return fail(405, "use GET for this resource");
  return fail(404, "no such action");
}

}  // namespace stampede::local
