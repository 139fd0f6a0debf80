#include "engine/lua/chaos_options_reader.h"

#include <cmath>
#include <map>

#include "targets/kubernetes/label_selector.h"

namespace stampede {
namespace {

// Assigns an optional read result to `target` when present; returns the error otherwise.
#define READ_INTO(target, expr)             \
  do {                                      \
    auto _r = (expr);                       \
    if (!_r.ok()) return _r.error();        \
    if (_r.value()) (target) = *_r.value(); \
  } while (0)

Status check_fraction(const std::string& path, double v) {
  if (v < 0 || v > 1) return Error(path + ": expected a number in [0, 1]");
  return Status();
}

Result<std::optional<int64_t>> millis(TableReader& r, const char* key) {
  auto n = r.number(key);
  if (!n.ok()) return n.error();
  if (!n.value()) return std::optional<int64_t>();
  double v = *n.value();
  if (v < 0 || v > 600000 || v != std::floor(v)) {
    return Error(r.at(key) + ": expected whole milliseconds in [0, 600000]");
  }
  return std::optional<int64_t>(static_cast<int64_t>(v));
}

Result<std::vector<std::string>> string_list(lua_State* L, TableReader& r, const char* key) {
  int type = r.push(key);
  std::vector<std::string> out;
  Status st;
  if (type == LUA_TTABLE) {
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    for (lua_Integer i = 1; i <= n; ++i) {
      if (lua_rawgeti(L, -1, i) != LUA_TSTRING || lua_rawlen(L, -1) == 0) {
        st = Error(r.at(key) + "[" + std::to_string(i) + "]: expected a method name");
      } else {
        out.emplace_back(lua_tostring(L, -1));
      }
      lua_pop(L, 1);
      if (!st.ok()) break;
    }
  } else if (type != LUA_TNIL) {
    st = Error(r.at(key) + ": expected a list of method names");
  }
  lua_pop(L, 1);
  if (!st.ok()) return st.error();
  return out;
}

Status read_fault_knobs(lua_State* L, TableReader& r, FaultKnobs& k) {
  READ_INTO(k.latency_ms, millis(r, "latency_ms"));
  READ_INTO(k.jitter_ms, millis(r, "jitter_ms"));
  READ_INTO(k.cpu_burn_ms, millis(r, "cpu_burn_ms"));
  auto rate = r.number("error_rate");
  if (!rate.ok()) return rate.error();
  if (rate.value()) {
    Status st = check_fraction(r.at("error_rate"), *rate.value());
    if (!st.ok()) return st;
    k.error_rate = *rate.value();
  }
  READ_INTO(k.hang, r.boolean("hang"));
  READ_INTO(k.unhealthy, r.boolean("unhealthy"));
  auto methods = string_list(L, r, "methods");
  if (!methods.ok()) return methods.error();
  k.methods = methods.value();
  if (k.empty()) {
    return Error(r.at("action") +
                 ": fault needs at least one knob (latency_ms, jitter_ms, error_rate, hang, "
                 "unhealthy, cpu_burn_ms)");
  }
  return Status();
}

Status read_network_fault(TableReader& r, NetworkFault& f) {
  for (auto [key, slot] :
       {std::pair{"latency_ms", &f.latency_ms}, std::pair{"jitter_ms", &f.jitter_ms},
        std::pair{"bandwidth_kbps", &f.bandwidth_kbps}}) {
    auto v = r.number(key);
    if (!v.ok()) return v.error();
    if (v.value() && *v.value() < 0) return Error(r.at(key) + ": must be >= 0");
    if (v.value()) *slot = *v.value();
  }
  auto reset = r.number("reset_rate");
  if (!reset.ok()) return reset.error();
  if (reset.value()) {
    Status st = check_fraction(r.at("reset_rate"), *reset.value());
    if (!st.ok()) return st;
    f.reset_rate = *reset.value();
  }
  READ_INTO(f.reset_existing, r.boolean("reset_existing"));
  READ_INTO(f.blackhole, r.boolean("blackhole"));
  if (f.latency_ms == 0 && f.jitter_ms == 0 && f.bandwidth_kbps == 0 && f.reset_rate == 0 &&
      !f.reset_existing && !f.blackhole) {
    return Error(r.at("action") +
                 ": proxy-fault needs at least one of latency_ms, jitter_ms, bandwidth_kbps, "
                 "reset_rate, reset_existing, blackhole");
  }
  return Status();
}

Status read_pod_mode(TableReader& r, ChaosAction& a) {
  auto mode = r.string("mode");
  auto count = r.count("count", 1, kMaxPodCount);
  auto percent = r.number("percent");
  if (!mode.ok()) return mode.error();
  if (!count.ok()) return count.error();
  if (!percent.ok()) return percent.error();
  bool pods = targets_pods(a.kind);
  if (!pods && (mode.value() || count.value() || percent.value())) {
    return Error(r.at(mode.value()    ? "mode"
                      : count.value() ? "count"
                                      : "percent") +
                 ": " + action_kind_name(a.kind) + " acts on a " +
                 (a.kind == ActionKind::kProxyFault ? "Service" : "deployment") +
                 ", not on chosen pods");
  }
  std::string m = mode.value().value_or(count.value()     ? "fixed"
                                        : percent.value() ? "percent"
                                                          : "one");
  if (m == "one") {
    a.mode = PodMode::kOne;
  } else if (m == "all") {
    a.mode = PodMode::kAll;
  } else if (m == "fixed") {
    a.mode = PodMode::kFixed;
    if (!count.value()) return Error(r.at("count") + ": mode \"fixed\" needs count = N");
    a.count = *count.value();
  } else if (m == "percent") {
    a.mode = PodMode::kPercent;
    if (!percent.value() || *percent.value() <= 0 || *percent.value() > 100) {
      return Error(r.at("percent") + ": mode \"percent\" needs percent in (0, 100]");
    }
    a.percent = *percent.value();
  } else {
    return Error(r.at("mode") + ": unknown mode '" + m + "' (expected one, all, fixed or percent)");
  }
  if (a.mode != PodMode::kFixed && count.value()) {
    return Error(r.at("count") + ": only with mode \"fixed\"");
  }
  if (a.mode != PodMode::kPercent && percent.value()) {
    return Error(r.at("percent") + ": only with mode \"percent\"");
  }
  return Status();
}

// Reads one action table (on top of the stack).
Result<ChaosAction> read_action(lua_State* L, const std::string& path, Nanos run_length) {
  TableReader r(L, path);
  ChaosAction a;
  a.path = path;
  auto action = r.string("action");
  if (!action.ok()) return action.error();
  if (!action.value()) return Error(path + ".action: missing (e.g. \"pod-kill\")");
  auto kind = action_kind_from(*action.value());
  if (!kind) {
    return Error(path + ".action: unknown action '" + *action.value() +
                 "' (expected pod-kill, pod-terminate, pod-pause, scale, rollout-restart, fault, "
                 "proxy-fault or dependency-down)");
  }
  a.kind = *kind;
  auto at = r.duration("at");
  if (!at.ok()) return at.error();
  if (!at.value()) return Error(path + ".at: missing (when the action starts, e.g. \"30s\")");
  a.at = *at.value();
  if (a.at >= run_length) {
    return Error(path + ".at: " + format_duration(a.at) + " is not before the run ends (" +
                 format_duration(run_length) + ")");
  }
  READ_INTO(a.duration, r.duration("duration"));
  if (a.duration == 0) return Error(path + ".duration: must be > 0");
  if (a.duration > 0 && !is_reversible(a.kind)) {
    return Error(path + ".duration: " + std::string(action_kind_name(a.kind)) +
                 " is instant; there is nothing to revert");
  }
  if (a.kind == ActionKind::kPodPause && a.duration < 0) {
    return Error(path + ".duration: pod-pause needs a duration (how long the pod stays paused)");
  }
  auto name = r.string("name");
  if (!name.ok()) return name.error();
  if (name.value()) {
    if (name.value()->empty()) return Error(path + ".name: must not be empty");
    a.id = *name.value();
  }
  auto target = r.string("target");
  if (!target.ok()) return target.error();
  if (!target.value() || target.value()->empty()) {
    return Error(path +
                 ".target: missing (a deployment name, or a label selector like "
                 "\"app=cart\" or \"app in (cart,checkout)\")");
  }
  a.target = *target.value();
  // A deployment is named by a DNS-1123 name; anything else is a label selector.
  a.selector = !kube::valid_object_name(a.target);
  if (a.selector) {
    auto parsed = kube::LabelSelector::parse(a.target);
    if (!parsed.ok()) return parsed.error().with_context(path + ".target");
  }
  if (a.selector && !targets_pods(a.kind)) {
    return Error(path + ".target: " + std::string(action_kind_name(a.kind)) + " needs a " +
                 (a.kind == ActionKind::kProxyFault ? "Service" : "deployment") +
                 " name, not a selector");
  }
  Status st = read_pod_mode(r, a);
  if (!st.ok()) return st.error();
  auto cap = r.count("max_pods", 1, kMaxPodCount);
  if (!cap.ok()) return cap.error();
  if (cap.value()) a.max_pods = static_cast<int>(*cap.value());
  if (cap.value() && !targets_pods(a.kind)) {
    return Error(path + ".max_pods: only for actions on pods");
  }

  switch (a.kind) {
    case ActionKind::kPodTerminate: {
      auto grace = r.duration("grace_period");
      if (!grace.ok()) return grace.error();
      if (grace.value()) a.grace_seconds = static_cast<double>(*grace.value()) / kNanosPerSecond;
      break;
    }
    case ActionKind::kScale: {
      auto replicas = r.count("replicas", 0, kMaxPodCount);
      if (!replicas.ok()) return replicas.error();
      if (!replicas.value()) return Error(path + ".replicas: missing (scale to how many?)");
      a.replicas = static_cast<int>(*replicas.value());
      break;
    }
    case ActionKind::kFault:
      st = read_fault_knobs(L, r, a.knobs);
      break;
    case ActionKind::kProxyFault:
      st = read_network_fault(r, a.network);
      break;
    default:
      break;
  }
  if (!st.ok()) return st.error();
  st = r.no_unknown_keys("see docs/chaos.md for each action's keys");
  if (!st.ok()) return st.error();
  return a;
}

Status read_guard(lua_State* L, TableReader& chaos, GuardPlan& guard) {
  int type = chaos.push("guard");
  Status st;
  if (type == LUA_TTABLE) {
    TableReader r(L, chaos.at("guard"));
    auto floor = r.number("min_availability");
    auto window = r.duration("window");
    if (!floor.ok()) {
      st = floor.error();
    } else if (!window.ok()) {
      st = window.error();
    } else if (!floor.value()) {
      st = Error(r.at("min_availability") + ": missing (e.g. 0.5)");
    } else if (*floor.value() <= 0 || *floor.value() > 1) {
      st = Error(r.at("min_availability") + ": expected a number in (0, 1]");
    } else if (window.value() && *window.value() < kNanosPerSecond) {
      st = Error(r.at("window") + ": must be at least 1s");
    } else {
      guard.enabled = true;
      guard.min_availability = *floor.value();
      if (window.value()) guard.window = *window.value();
      st = r.no_unknown_keys("min_availability, window");
    }
  } else if (type != LUA_TNIL) {
    st = Error(chaos.at("guard") + ": expected { min_availability = 0.5, window = \"10s\" }");
  }
  lua_pop(L, 1);
  return st;
}

// options.chaos: a list of actions, plus the keys max_pods, guard and seed.
Status read_chaos(lua_State* L, TableReader& options, Nanos run_length, ChaosPlan& plan) {
  int type = options.push("chaos");
  Status st;
  if (type == LUA_TTABLE) {
    TableReader chaos(L, "options.chaos");
    auto cap = chaos.count("max_pods", 1, kMaxPodCount);
    auto seed = chaos.count("seed", 0);
    if (!cap.ok()) st = cap.error();
    if (st.ok() && !seed.ok()) st = seed.error();
    if (st.ok() && cap.value()) plan.max_pods = static_cast<int>(*cap.value());
    if (st.ok() && seed.value()) plan.seed = static_cast<uint64_t>(*seed.value());
    if (st.ok()) st = read_guard(L, chaos, plan.guard);
    std::map<std::string, int> per_kind;
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    for (lua_Integer i = 1; i <= n && st.ok(); ++i) {
      std::string path = "options.chaos[" + std::to_string(i) + "]";
      if (lua_rawgeti(L, -1, i) != LUA_TTABLE) {
        st = Error(path +
                   ": expected an action like { at = \"30s\", action = \"pod-kill\", "
                   "target = \"cart\" }");
      } else {
        auto a = read_action(L, path, run_length);
        if (!a.ok()) {
          st = a.error();
        } else {
          ChaosAction action = std::move(a).value();
          int nth = ++per_kind[action_kind_name(action.kind)];
          if (action.id.empty())
            action.id = std::string(action_kind_name(action.kind)) + "#" + std::to_string(nth);
          if (plan.action(action.id) != nullptr) {
            st = Error(path + ".name: '" + action.id + "' names another action too");
          } else {
            if (action.max_pods == 0) action.max_pods = plan.max_pods;
            plan.actions.push_back(std::move(action));
          }
        }
      }
      lua_pop(L, 1);
    }
    if (st.ok()) st = chaos.no_unknown_keys("a list of actions, max_pods, guard, seed", true);
  } else if (type != LUA_TNIL) {
    st = Error("options.chaos: expected a list of actions");
  }
  lua_pop(L, 1);
  return st;
}

}  // namespace

Status read_chaos_options(lua_State* L, TableReader& options, Nanos run_length, ChaosPlan& plan) {
  Status st = read_chaos(L, options, run_length, plan);
  if (!st.ok()) return st;
  return read_expectations(L, options, plan);
}

}  // namespace stampede
