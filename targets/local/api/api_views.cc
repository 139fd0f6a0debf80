#include "targets/local/api/api_views.h"

#include <unistd.h>

#include <cmath>

#include "targets/local/runtime/clock.h"

namespace stampede::local {

using nlohmann::json;

json time_json(int64_t mono_ns) {
  return {{"mono_ns", mono_ns}, {"unix_ms", unix_ms_of(mono_ns)}};
}

json status_json(const Runtime& rt) {
  return {{"pid", static_cast<int>(::getpid())},
          {"started", time_json(rt.started_ns())},
          {"values", rt.options().values_path},
          {"state_dir", rt.options().state_dir},
          {"hpa_sync_period_seconds", rt.options().values.local.hpa_sync_period_seconds},
          {"cpu_window_seconds", rt.options().values.local.cpu_window_seconds},
          {"cpu_limits", rt.cpu_limits_status()}};
}

json probe_json(const std::optional<ProbeSpec>& probe) {
  if (!probe) return nullptr;
  json j = {{"kind", probe_kind_name(probe->kind)},
            {"initial_delay_seconds", probe->initial_delay_seconds},
            {"period_seconds", probe->period_seconds},
            {"timeout_seconds", probe->timeout_seconds},
            {"success_threshold", probe->success_threshold},
            {"failure_threshold", probe->failure_threshold}};
  if (probe->kind == ProbeKind::kExec) {
    j["command"] = probe->command;
  } else {
    j["port"] = probe->port_name;
  }
  if (probe->kind == ProbeKind::kHttpGet) j["path"] = probe->path;
  if (probe->kind == ProbeKind::kGrpc) j["service"] = probe->grpc_service;
  if (probe->termination_grace_period_seconds) {
    j["termination_grace_period_seconds"] = *probe->termination_grace_period_seconds;
  }
  return j;
}

json hpa_json(const Runtime& rt, const Deployment& d) {
  const HpaRunner* hpa = rt.hpa(d.name());
  if (hpa == nullptr) return nullptr;
  json j = {{"deployment", d.name()},
            {"min_replicas", hpa->spec().min_replicas},
            {"max_replicas", hpa->spec().max_replicas},
            {"target_cpu_utilization", hpa->spec().target_cpu_utilization},
            {"current_utilization", -1},
            {"current_replicas", d.replicas()},
            {"desired_replicas", d.replicas()},
            {"last_scale", nullptr},
            {"reason", "no sync yet"}};
  if (const auto& last = hpa->last()) {
    j["current_utilization"] = last->utilization;
    j["current_replicas"] = last->current_replicas;
    j["desired_replicas"] = last->desired_replicas;
    j["reason"] = last->reason;
  }
  if (auto at = hpa->last_scale_ns()) j["last_scale"] = time_json(*at);
  return j;
}

json service_json(const Runtime& rt, const Deployment& d) {
  ServiceProxy* proxy = rt.proxy(d.name());
  if (proxy == nullptr) return nullptr;
  json endpoints = json::array();
  for (const Endpoint& e : rt.service_endpoints(d.name()))
    endpoints.push_back({{"pod", e.pod}, {"port", e.port}});
  json fault = fault_json(proxy->fault());
  ProxyStats s = proxy->stats();
  return {{"name", d.name()},
          {"port", proxy->port()},
          {"endpoints", endpoints},
          {"fault", fault},
          {"stats",
           {{"connections_accepted", s.connections_accepted},
            {"connections_refused", s.connections_refused},
            {"connections_reset", s.connections_reset},
            {"active_connections", s.active_connections},
            {"bytes_up", s.bytes_up},
            {"bytes_down", s.bytes_down}}}};
}

json fault_json(const ProxyFault& f) {
  if (f.latency_ms <= 0 && f.jitter_ms <= 0 && f.bandwidth_kbps <= 0 && f.reset_rate <= 0 &&
      !f.blackhole) {
    return nullptr;
  }
  return {{"latency_ms", f.latency_ms},         {"jitter_ms", f.jitter_ms},
          {"bandwidth_kbps", f.bandwidth_kbps}, {"reset_rate", f.reset_rate},
          {"reset_existing", f.reset_existing}, {"blackhole", f.blackhole}};
}

json deployment_json(const Runtime& rt, const Deployment& d) {
  const DeploymentSpec& spec = d.spec();
  auto [surge, unavailable] =
      resolve_fenceposts(spec.max_surge, spec.max_unavailable, d.replicas());
  json service = nullptr;
  if (ServiceProxy* proxy = rt.proxy(d.name())) {
    json endpoints = json::array();
    for (const Endpoint& e : rt.service_endpoints(d.name())) endpoints.push_back(e.pod);
    service = {{"name", d.name()}, {"port", proxy->port()}, {"endpoints", endpoints}};
  }
  return {{"name", d.name()},
          {"replicas", d.replicas()},
          {"current", d.current()},
          {"ready", d.ready()},
          {"updated", d.updated()},
          {"available", d.available()},
          {"paused_rollout", false},
          {"rollout", {{"in_progress", d.rollout_in_progress()}, {"revision", d.revision()}}},
          {"template_hash", d.template_hash()},
          {"service", service},
          {"hpa", hpa_json(rt, d)},
          {"probes",
           {{"liveness", probe_json(spec.liveness)},
            {"readiness", probe_json(spec.readiness)},
            {"startup", probe_json(spec.startup)}}},
          {"termination_grace_period_seconds", spec.termination_grace_period_seconds},
          {"min_ready_seconds", spec.min_ready_seconds},
          {"strategy", {{"max_surge", surge}, {"max_unavailable", unavailable}}},
          {"resources",
           {{"cpu_request_millicores", spec.cpu_request_millis},
            {"cpu_limit_millicores", spec.cpu_limit_millis}}},
          {"labels", {{"app", d.name()}}}};
}

json pod_json(const Runtime& rt, const Pod& pod) {
  double cpu = rt.pod_cpu_millicores(pod.name());
  int64_t request = pod.spec().cpu_request_millis;
  double utilization = cpu >= 0 && request > 0 ? std::round(cpu * 100.0 / request) : -1;
  json last_exit = nullptr;
  if (const auto& e = pod.last_exit()) {
    last_exit = {{"code", e->status.code},
                 {"signal", e->status.signal},
                 {"reason", e->reason},
                 {"at", time_json(e->at_ns)}};
  }
  return {{"name", pod.name()},
          {"deployment", pod.deployment()},
          {"phase", pod.phase()},
          {"state", pod.state()},
          {"ready", pod.ready()},
          {"started", pod.started()},
          {"restarts", pod.restarts()},
          {"pid", pod.pid()},
          {"ports", pod.ports()},
          {"cpu_millicores", cpu < 0 ? -1.0 : std::round(cpu * 10) / 10},
          {"cpu_utilization", utilization},
          {"created", time_json(pod.created_ns())},
          {"last_exit", last_exit},
          {"last_log_lines", pod.last_log_lines()},
          {"log", pod.log_path()},
          {"labels", {{"app", pod.deployment()}, {"pod-template-hash", pod.hash()}}}};
}

json event_json(const Event& e) {
  return {{"seq", e.seq},      {"mono_ns", e.mono_ns},       {"unix_ms", e.unix_ms},
          {"kind", e.kind},    {"deployment", e.deployment}, {"pod", e.pod},
          {"detail", e.detail}};
}

}  // namespace stampede::local
