// options.expect: the validations (docs/chaos.md, "Validations").
#include <algorithm>

#include "engine/lua/chaos_options_reader.h"

namespace stampede {
namespace {

// Resolves a reference to an action: its id (name or "kind#n"), or its kind when exactly one
// action of that kind exists.
Result<std::string> resolve_action(const ChaosPlan& plan, const std::string& ref,
                                   const std::string& path) {
  if (plan.action(ref) != nullptr) return ref;
  std::vector<std::string> of_kind, all;
  for (const ChaosAction& a : plan.actions) {
    all.push_back(a.id);
    if (action_kind_name(a.kind) == ref) of_kind.push_back(a.id);
  }
  if (of_kind.size() == 1) return of_kind.front();
  std::string list;
  for (const std::string& id : (of_kind.empty() ? all : of_kind)) {
    list += (list.empty() ? "" : ", ") + id;
  }
  if (of_kind.size() > 1) {
    return Error(path + ": '" + ref + "' is ambiguous; name one of: " + list);
  }
  return Error(
      path + ": no chaos action '" + ref + "'" +
      (all.empty() ? std::string(" (options.chaos has no actions)") : " (actions: " + list + ")"));
}

Status read_slo(lua_State* L, TableReader& r, BucketSlo& slo) {
  int type = r.push("slo");
  Status st;
  if (type == LUA_TTABLE) {
    TableReader s(L, r.at("slo"));
    auto err = s.number("max_error_rate");
    auto lat = s.number("latency_ms");
    auto slow = s.number("max_slow_rate");
    auto empty = s.boolean("empty_is_good");
    if (!err.ok())
      st = err.error();
    else if (!lat.ok())
      st = lat.error();
    else if (!slow.ok())
      st = slow.error();
    else if (!empty.ok())
      st = empty.error();
    if (st.ok() && err.value()) {
      if (*err.value() < 0 || *err.value() > 1) {
        st = Error(s.at("max_error_rate") + ": expected a number in [0, 1]");
      }
      slo.max_error_rate = *err.value();
    }
    if (st.ok() && lat.value()) {
      if (*lat.value() < 0) st = Error(s.at("latency_ms") + ": must be >= 0");
      slo.latency_ms = *lat.value();
    }
    if (st.ok() && slow.value()) {
      if (*slow.value() < 0 || *slow.value() > 1) {
        st = Error(s.at("max_slow_rate") + ": expected a number in [0, 1]");
      }
      slo.max_slow_rate = *slow.value();
    }
    if (st.ok() && empty.value()) slo.empty_is_good = *empty.value();
    if (st.ok()) st = s.no_unknown_keys("max_error_rate, latency_ms, max_slow_rate, empty_is_good");
  } else if (type != LUA_TNIL) {
    st = Error(r.at("slo") + ": expected { max_error_rate = 0.01, latency_ms = 500 }");
  }
  lua_pop(L, 1);
  return st;
}

Result<std::optional<double>> fraction(TableReader& r, const char* key) {
  auto v = r.number(key);
  if (!v.ok()) return v.error();
  if (v.value() && (*v.value() < 0 || *v.value() > 1)) {
    return Error(r.at(key) + ": expected a number in [0, 1]");
  }
  return v.value();
}

// Reads a reference key (`during` / `after`) into an action id; "" when absent.
Result<std::string> action_ref(const ChaosPlan& plan, TableReader& r, const char* key) {
  auto ref = r.string(key);
  if (!ref.ok()) return ref.error();
  if (!ref.value()) return std::string();
  return resolve_action(plan, *ref.value(), r.at(key));
}

Result<std::string> required_ref(const ChaosPlan& plan, TableReader& r, const char* key) {
  auto id = action_ref(plan, r, key);
  if (!id.ok()) return id;
  if (id.value().empty()) return Error(r.at(key) + ": missing (the chaos action it judges)");
  return id;
}

Result<Nanos> required_duration(TableReader& r, const char* key, const char* example) {
  auto d = r.duration(key);
  if (!d.ok()) return d.error();
  if (!d.value()) return Error(r.at(key) + ": missing (e.g. \"" + example + "\")");
  return *d.value();
}

Result<std::string> required_string(TableReader& r, const char* key, const char* what) {
  auto s = r.string(key);
  if (!s.ok()) return s.error();
  if (!s.value() || s.value()->empty()) return Error(r.at(key) + ": missing (" + what + ")");
  return *s.value();
}

#define TRY(expr)                    \
  do {                               \
    auto _s = (expr);                \
    if (!_s.ok()) return _s.error(); \
  } while (0)

#define TRY_SET(target, expr)        \
  do {                               \
    auto _r = (expr);                \
    if (!_r.ok()) return _r.error(); \
    target = std::move(_r).value();  \
  } while (0)

#define TRY_OPT(target, expr)               \
  do {                                      \
    auto _r = (expr);                       \
    if (!_r.ok()) return _r.error();        \
    if (_r.value()) (target) = *_r.value(); \
  } while (0)

Status read_kind_fields(lua_State* L, const ChaosPlan& plan, TableReader& r, Expectation& e) {
  const std::string& path = e.path;
  auto kind_of = [&](const std::string& id) { return plan.action(id)->kind; };
  switch (e.kind) {
    case ExpectKind::kAvailability: {
      TRY_SET(e.during, action_ref(plan, r, "during"));
      TRY_SET(e.after, action_ref(plan, r, "after"));
      auto phase = r.string("phase");
      TRY(phase);
      int given = !e.during.empty() + !e.after.empty() + (phase.value() ? 1 : 0);
      if (given > 1) return Error(path + ": give one of during, after or phase");
      if (phase.value()) {
        if (*phase.value() != "baseline" && *phase.value() != "run") {
          return Error(r.at("phase") + ": expected \"baseline\" or \"run\" (or use during/after)");
        }
        e.phase = *phase.value();
      }
      if (given == 0) e.phase = "run";
      TRY_OPT(e.min, fraction(r, "min"));
      TRY_OPT(e.min_by_time, fraction(r, "min_by_time"));
      if (!e.min && !e.min_by_time) {
        return Error(path + ": availability needs min (by requests) and/or min_by_time");
      }
      TRY_OPT(e.window, r.duration("window"));
      break;
    }
    case ExpectKind::kRecovery:
      TRY_SET(e.after, required_ref(plan, r, "after"));
      TRY_SET(e.within, required_duration(r, "within", "10s"));
      TRY_OPT(e.detect_within, r.duration("detect_within"));
      TRY_OPT(e.stable, r.duration("stable"));
      if (e.stable < FineTimeline::kBucketSeconds * kNanosPerSecond) {
        return Error(r.at("stable") + ": must be at least 100ms");
      }
      break;
    case ExpectKind::kAutoscaling: {
      TRY_SET(e.target, required_string(r, "target", "the deployment with the HPA"));
      TRY_OPT(e.from, r.duration("from"));
      TRY_SET(e.scale_up_within, required_duration(r, "scale_up_within", "60s"));
      auto tol = r.count("replica_tolerance", 0, kMaxPodCount);
      TRY(tol);
      if (tol.value()) e.replica_tolerance = static_cast<int>(*tol.value());
      TRY_OPT(e.scale_down_window, r.duration("scale_down_window"));
      TRY_OPT(e.max_violation, r.duration("max_violation"));
      break;
    }
    case ExpectKind::kSelfHealing: {
      TRY_SET(e.after, required_ref(plan, r, "after"));
      TRY_OPT(e.restart, r.boolean("restart"));
      auto watch = r.string("target");
      TRY(watch);
      if (watch.value()) {
        if (e.restart) {
          return Error(r.at("target") +
                       ": only with restart = false (no pod of that deployment may restart "
                       "while the action lasts)");
        }
        e.target = *watch.value();
      }
      if (e.target.empty() && !targets_pods(kind_of(e.after))) {
        return Error(r.at("after") +
                     ": self-healing judges an action on pods (pod-kill, pod-terminate, "
                     "pod-pause, fault), not " +
                     std::string(action_kind_name(kind_of(e.after))) +
                     " (or give restart = false and the target deployment to watch)");
      }
      TRY_OPT(e.within, r.duration("within"));
      TRY_OPT(e.restart_allowance, r.duration("restart_allowance"));
      break;
    }
    case ExpectKind::kZeroDowntime:
      TRY_SET(e.during, required_ref(plan, r, "during"));
      TRY_OPT(e.min, fraction(r, "min"));
      if (!e.min) e.min = 0.999;
      break;
    case ExpectKind::kCircuitBreaker:
      TRY_SET(e.during, required_ref(plan, r, "during"));
      if (!is_reversible(kind_of(e.during))) {
        return Error(r.at("during") +
                     ": circuit-breaker judges a fault that lasts (fault, "
                     "proxy-fault, dependency-down, pod-pause, scale), not " +
                     std::string(action_kind_name(kind_of(e.during))));
      }
      TRY_SET(e.caller,
              required_string(r, "caller", "the deployment whose client has the breaker"));
      TRY_SET(e.dependency, required_string(r, "dependency", "the dependency its client calls"));
      TRY_OPT(e.fast_fail, r.duration("fast_fail"));
      {
        auto pct = r.number("fast_fail_percentile");
        TRY(pct);
        if (pct.value()) {
          if (*pct.value() <= 0 || *pct.value() > 100) {
            return Error(r.at("fast_fail_percentile") + ": expected a percentile in (0, 100]");
          }
          e.fast_fail_percentile = *pct.value();
        }
      }
      TRY_OPT(e.close_within, r.duration("close_within"));
      TRY_OPT(e.max_reached_share, fraction(r, "max_reached_share"));
      break;
  }
  return read_slo(L, r, e.slo);
}

std::string default_name(const Expectation& e) {
  std::string kind = expect_kind_name(e.kind);
  switch (e.kind) {
    case ExpectKind::kAvailability:
      if (!e.during.empty()) return kind + " during " + e.during;
      if (!e.after.empty()) return kind + " after " + e.after;
      return kind + " (" + e.phase + ")";
    case ExpectKind::kAutoscaling:
      return kind + " of " + e.target;
    case ExpectKind::kCircuitBreaker:
      return kind + " " + e.caller + "->" + e.dependency + " during " + e.during;
    case ExpectKind::kZeroDowntime:
      return kind + " during " + e.during;
    default:
      return kind + " after " + e.after;
  }
}

Result<Expectation> read_expectation(lua_State* L, const ChaosPlan& plan, const std::string& path) {
  TableReader r(L, path);
  Expectation e;
  e.path = path;
  auto kind = r.string("kind");
  TRY(kind);
  if (!kind.value()) return Error(path + ".kind: missing (e.g. \"availability\")");
  auto k = expect_kind_from(*kind.value());
  if (!k) {
    return Error(path + ".kind: unknown validation '" + *kind.value() +
                 "' (expected availability, recovery, autoscaling, self-healing, zero-downtime "
                 "or circuit-breaker)");
  }
  e.kind = *k;
  auto name = r.string("name");
  TRY(name);
  Status st = read_kind_fields(L, plan, r, e);
  if (!st.ok()) return st.error();
  e.name = name.value().value_or(default_name(e));
  st = r.no_unknown_keys(
      (std::string("not a key of a ") + expect_kind_name(e.kind) + " check; see docs/chaos.md")
          .c_str());
  if (!st.ok()) return st.error();
  return e;
}

}  // namespace

Status read_expectations(lua_State* L, TableReader& options, ChaosPlan& plan) {
  int type = options.push("expect");
  Status st;
  if (type == LUA_TTABLE) {
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    for (lua_Integer i = 1; i <= n && st.ok(); ++i) {
      std::string path = "options.expect[" + std::to_string(i) + "]";
      if (lua_rawgeti(L, -1, i) != LUA_TTABLE) {
        st = Error(path +
                   ": expected a validation like { kind = \"recovery\", after = "
                   "\"pod-kill\", within = \"10s\" }");
      } else {
        auto e = read_expectation(L, plan, path);
        if (!e.ok()) {
          st = e.error();
        } else {
          plan.expectations.push_back(std::move(e).value());
        }
      }
      lua_pop(L, 1);
    }
    if (st.ok()) {
      TableReader list(L, "options.expect");
      st = list.no_unknown_keys("options.expect is a list of validations", true);
    }
  } else if (type != LUA_TNIL) {
    st = Error("options.expect: expected a list of validations");
  }
  lua_pop(L, 1);
  return st;
}

}  // namespace stampede
