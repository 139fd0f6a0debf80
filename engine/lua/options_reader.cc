#include "engine/lua/options_reader.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/core/duration.h"
#include "engine/exec/segment_plan.h"
#include "engine/lua/chaos_options_reader.h"
#include "engine/lua/script_loader.h"
#include "engine/lua/table_reader.h"

namespace stampede {
namespace {

#define TRY_ASSIGN(target, expr)          \
  do {                                    \
    auto _r = (expr);                     \
    if (!_r.ok()) return _r.error();      \
    if (_r.value()) target = *_r.value(); \
  } while (0)

Result<ExecutorKind> executor_from(const std::string& name, const std::string& path) {
  for (ExecutorKind k : {ExecutorKind::kConstantVus, ExecutorKind::kRampingVus,
                         ExecutorKind::kPerVuIterations, ExecutorKind::kSharedIterations,
                         ExecutorKind::kConstantArrivalRate, ExecutorKind::kRampingArrivalRate}) {
    if (name == executor_name(k)) return k;
  }
  return Error(path + ": unknown executor '" + name +
               "' (expected constant-vus, ramping-vus, per-vu-iterations, shared-iterations, "
               "constant-arrival-rate or ramping-arrival-rate)");
}

Result<std::vector<Stage>> read_stages(lua_State* L, TableReader& r, const char* key) {
  int type = r.push(key);
  std::vector<Stage> stages;
  Status st;
  if (type == LUA_TTABLE) {
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    for (lua_Integer i = 1; i <= n && st.ok(); ++i) {
      lua_rawgeti(L, -1, i);
      std::string path = r.at(key) + "[" + std::to_string(i) + "]";
      if (!lua_istable(L, -1)) {
        st = Error(path + ": expected {duration = \"30s\", target = N}");
      } else {
        TableReader stage(L, path);
        Stage s;
        auto d = stage.duration("duration");
        auto t = stage.number("target");
        if (!d.ok()) {
          st = d.error();
        } else if (!t.ok()) {
          st = t.error();
        } else if (!d.value() || !t.value()) {
          st = Error(path + ": a stage needs both duration and target");
        } else if (*t.value() < 0) {
          st = Error(path + ".target: must be >= 0");
        } else {
          s.duration = *d.value();
          s.target = *t.value();
          stages.push_back(s);
          st = stage.no_unknown_keys("a stage has duration and target");
        }
      }
      lua_pop(L, 1);
    }
  } else if (type != LUA_TNIL) {
    st = Error(r.at(key) + ": expected a list of stages");
  }
  lua_pop(L, 1);
  if (!st.ok()) return st.error();
  return stages;
}

// Reads the scenario table on top of the stack.
Result<ScenarioPlan> read_scenario(lua_State* L, const std::string& name) {
  std::string path = "options.scenarios." + name;
  TableReader r(L, path);
  ScenarioPlan s;
  s.name = name;
  auto executor = r.string("executor");
  if (!executor.ok()) return executor.error();
  if (!executor.value()) return Error(path + ".executor: missing (e.g. \"constant-vus\")");
  auto kind = executor_from(*executor.value(), path + ".executor");
  if (!kind.ok()) return kind.error();
  s.executor = kind.value();

  TRY_ASSIGN(s.exec, r.string("exec"));
  TRY_ASSIGN(s.start_time, r.duration("start_time"));
  TRY_ASSIGN(s.graceful_stop, r.duration("graceful_stop"));
  auto tags = r.string_map("tags");
  if (!tags.ok()) return tags.error();
  s.tags = tags.value();

  bool has_duration = false, has_stages = false;
  switch (s.executor) {
    case ExecutorKind::kConstantVus:
      TRY_ASSIGN(s.vus, r.count("vus", 1));
      TRY_ASSIGN(s.duration, r.duration("duration"));
      has_duration = true;
      break;
    case ExecutorKind::kRampingVus: {
      TRY_ASSIGN(s.start_vus, r.count("start_vus", 0));
      TRY_ASSIGN(s.graceful_ramp_down, r.duration("graceful_ramp_down"));
      auto stages = read_stages(L, r, "stages");
      if (!stages.ok()) return stages.error();
      s.stages = stages.value();
      has_stages = true;
      break;
    }
    case ExecutorKind::kPerVuIterations:
    case ExecutorKind::kSharedIterations:
      TRY_ASSIGN(s.vus, r.count("vus", 1));
      TRY_ASSIGN(s.iterations, r.count("iterations", 1));
      TRY_ASSIGN(s.max_duration, r.duration("max_duration"));
      if (s.executor == ExecutorKind::kSharedIterations && s.iterations < s.vus) {
        return Error(path + ": shared-iterations needs iterations (" +
                     std::to_string(s.iterations) + ") >= vus (" + std::to_string(s.vus) + ")");
      }
      break;
    case ExecutorKind::kConstantArrivalRate:
    case ExecutorKind::kRampingArrivalRate: {
      if (s.executor == ExecutorKind::kConstantArrivalRate) {
        auto rate = r.number("rate");
        if (!rate.ok()) return rate.error();
        if (!rate.value() || *rate.value() <= 0) return Error(path + ".rate: must be > 0");
        s.rate = *rate.value();
        TRY_ASSIGN(s.duration, r.duration("duration"));
        has_duration = true;
      } else {
        auto start = r.number("start_rate");
        if (!start.ok()) return start.error();
        if (start.value() && *start.value() < 0) return Error(path + ".start_rate: must be >= 0");
        if (start.value()) s.start_rate = *start.value();
        auto stages = read_stages(L, r, "stages");
        if (!stages.ok()) return stages.error();
        s.stages = stages.value();
        has_stages = true;
      }
      TRY_ASSIGN(s.time_unit, r.duration("time_unit"));
      if (s.time_unit <= 0) return Error(path + ".time_unit: must be > 0");
      auto pre = r.count("pre_allocated_vus", 0);
      if (!pre.ok()) return pre.error();
      if (!pre.value()) return Error(path + ".pre_allocated_vus: missing (VUs to start with)");
      s.pre_allocated_vus = *pre.value();
      TRY_ASSIGN(s.max_vus, r.count("max_vus", 0));
      if (s.max_vus == 0) s.max_vus = s.pre_allocated_vus;
      if (s.max_vus < s.pre_allocated_vus) {
        return Error(path + ".max_vus: must be >= pre_allocated_vus");
      }
      if (s.max_vus == 0) return Error(path + ": needs at least one VU (pre_allocated_vus)");
      break;
    }
  }
  if (has_duration && s.duration <= 0) return Error(path + ".duration: missing or zero");
  if (has_stages && s.stages.empty()) return Error(path + ".stages: needs at least one stage");
  Status st = r.no_unknown_keys(
      std::string("not an option of " + std::string(executor_name(s.executor))).c_str());
  if (!st.ok()) return st.error();
  return s;
}

Status read_thresholds(lua_State* L, TableReader& options, RunPlan& plan,
                       const MetricRegistry& registry) {
  int type = options.push("thresholds");
  Status st;
  if (type == LUA_TTABLE) {
    lua_pushnil(L);
    while (st.ok() && lua_next(L, -2) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING) {
        st = Error("options.thresholds: keys must be metric names like \"http_req_duration\"");
        lua_pop(L, 2);
        break;
      }
      std::string key = lua_tostring(L, -2);
      std::string path = "options.thresholds[\"" + key + "\"]";
      ThresholdPlan tp;
      auto selector = parse_metric_selector(key);
      auto id = selector.ok() ? registry.find(selector.value().metric) : std::nullopt;
      if (!selector.ok()) {
        st = selector.error().with_context(path);
      } else if (!id) {
        st = Error(path + ": no metric named '" + selector.value().metric +
                   "' (built-in metrics and metrics created in the init code can have thresholds)");
      } else {
        tp.selector = selector.value();
        MetricType mtype = registry.def(*id).type;
        // A single string or a list of strings / {threshold=, abort_on_fail=, delay_abort_eval=}.
        int n = lua_isstring(L, -1)  ? 1
                : lua_istable(L, -1) ? static_cast<int>(lua_rawlen(L, -1))
                                     : -1;
        if (n < 0) st = Error(path + ": expected a list of threshold expressions");
        for (int i = 1; i <= n && st.ok(); ++i) {
          if (lua_isstring(L, -1)) {
            lua_pushvalue(L, -1);
          } else {
            lua_rawgeti(L, -1, i);
          }
          std::string item_path = path + "[" + std::to_string(i) + "]";
          ThresholdRule rule;
          std::string source;
          if (lua_type(L, -1) == LUA_TSTRING) {
            source = lua_tostring(L, -1);
          } else if (lua_istable(L, -1)) {
            TableReader tr(L, item_path);
            auto src = tr.string("threshold");
            auto abort = tr.boolean("abort_on_fail");
            auto delay = tr.duration("delay_abort_eval");
            if (!src.ok())
              st = src.error();
            else if (!abort.ok())
              st = abort.error();
            else if (!delay.ok())
              st = delay.error();
            else if (!src.value())
              st = Error(item_path + ".threshold: missing");
            else {
              source = *src.value();
              rule.abort_on_fail = abort.value().value_or(false);
              rule.delay_abort_eval = delay.value().value_or(0);
              st = tr.no_unknown_keys("threshold, abort_on_fail, delay_abort_eval");
            }
          } else {
            st = Error(item_path + ": expected a string like \"p(95)<500\" or a table");
          }
          if (st.ok()) {
            auto expr = parse_threshold_expr(source);
            if (!expr.ok()) {
              st = expr.error().with_context(item_path);
            } else if (!expr.value().valid_for(mtype)) {
              st = Error(item_path + ": '" + expr.value().aggregation_name() +
                         "' does not apply to " + std::string(metric_type_name(mtype)) +
                         " metric " + tp.selector.metric);
            } else {
              rule.expr = expr.value();
              tp.rules.push_back(rule);
            }
          }
          lua_pop(L, 1);
        }
      }
      if (st.ok()) plan.thresholds.push_back(std::move(tp));
      lua_pop(L, 1);
      if (!st.ok()) lua_pop(L, 1);  // the key
    }
  } else if (type != LUA_TNIL) {
    st = Error("options.thresholds: expected a table");
  }
  lua_pop(L, 1);
  // Lua iterates a table in an order that differs between processes (its string hashes are
  // seeded per state), so sort, as for scenarios: the runs of one segmented test must have the
  // same plan (stampede merge compares them) and outputs list thresholds in a repeatable order.
  auto rules_text = [](const ThresholdPlan& t) {
    std::string text;
    for (const ThresholdRule& r : t.rules) text += r.expr.source + '\n';
    return text;
  };
  std::sort(plan.thresholds.begin(), plan.thresholds.end(),
            [&](const ThresholdPlan& a, const ThresholdPlan& b) {
              std::string ca = a.selector.canonical(), cb = b.selector.canonical();
              if (ca != cb) return ca < cb;
              return rules_text(a) < rules_text(b);
            });
  return st;
}

// The k6 execution shortcuts (vus/duration/iterations/stages/rate) as one scenario "default".
Result<ScenarioPlan> shortcut_scenario(std::optional<int64_t> vus, std::optional<Nanos> duration,
                                       std::optional<int64_t> iterations,
                                       std::optional<double> rate,
                                       const std::vector<Stage>& stages) {
  ScenarioPlan s;
  s.name = "default";
  s.exec = "default";
  if (rate) {
    if (!duration || *duration <= 0) return Error("--rate needs --duration");
    if (*rate <= 0) return Error("--rate: must be > 0");
    s.executor = ExecutorKind::kConstantArrivalRate;
    s.rate = *rate;
    s.duration = *duration;
    s.pre_allocated_vus =
        vus.value_or(std::max<int64_t>(1, static_cast<int64_t>(std::ceil(*rate))));
    s.max_vus = vus ? *vus
                    : std::max<int64_t>(s.pre_allocated_vus,
                                        std::min<int64_t>(10000, static_cast<int64_t>(*rate * 10)));
    return s;
  }
  if (!stages.empty()) {
    s.executor = ExecutorKind::kRampingVus;
    s.start_vus = vus.value_or(1);
    s.stages = stages;
    return s;
  }
  if (duration && *duration > 0) {
    s.executor = ExecutorKind::kConstantVus;
    s.vus = vus.value_or(1);
    s.duration = *duration;
    return s;
  }
  s.executor = ExecutorKind::kSharedIterations;
  s.vus = vus.value_or(1);
  s.iterations = iterations.value_or(s.vus);
  if (s.iterations < s.vus) s.vus = s.iterations;
  return s;
}

}  // namespace

Result<RunPlan> read_run_plan(lua_State* L, const CliOverrides& cli,
                              const MetricRegistry& registry) {
  RunPlan plan;
  plan.threads = cli.threads;
  int type = raw_global(L, "options");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    lua_newtable(L);
  } else if (type != LUA_TTABLE) {
    lua_pop(L, 1);
    return Error("options: expected a table, got a " + std::string(lua_typename(L, type)));
  }
  // From here on the options table is on top of the stack; `done` pops it on every path.
  auto done = [L](auto result) {
    lua_pop(L, 1);
    return result;
  };
  TableReader r(L, "options");
  std::optional<int64_t> vus, iterations;
  std::optional<Nanos> duration;
  {
    auto v = r.count("vus", 1);
    auto d = r.duration("duration");
    auto i = r.count("iterations", 1);
    if (!v.ok()) return done(Result<RunPlan>(v.error()));
    if (!d.ok()) return done(Result<RunPlan>(d.error()));
    if (!i.ok()) return done(Result<RunPlan>(i.error()));
    vus = v.value();
    duration = d.value();
    iterations = i.value();
  }
  auto stages = read_stages(L, r, "stages");
  if (!stages.ok()) return done(Result<RunPlan>(stages.error()));

  std::vector<ScenarioPlan> scenarios;
  if (r.push("scenarios") == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING || !lua_istable(L, -1)) {
        lua_pop(L, 3);
        return done(Result<RunPlan>(
            Error("options.scenarios: expected name = { executor = ..., ... } entries")));
      }
      auto s = read_scenario(L, lua_tostring(L, -2));
      lua_pop(L, 1);
      if (!s.ok()) {
        lua_pop(L, 2);
        return done(Result<RunPlan>(s.error()));
      }
      scenarios.push_back(std::move(s).value());
    }
  } else if (!lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return done(Result<RunPlan>(Error("options.scenarios: expected a table of scenarios")));
  }
  lua_pop(L, 1);
  // Scenario order is the table's iteration order in Lua; sort by name so runs are repeatable.
  std::sort(scenarios.begin(), scenarios.end(),
            [](const ScenarioPlan& a, const ScenarioPlan& b) { return a.name < b.name; });

  bool cli_shortcut = cli.vus || cli.duration || cli.iterations || cli.rate;
  bool option_shortcut = vus || duration || iterations || !stages.value().empty();
  if (cli_shortcut) {
    // CLI flags win over everything in the script, like k6's execution shortcuts.
    auto s =
        shortcut_scenario(cli.vus ? cli.vus : vus, cli.duration ? cli.duration : duration,
                          cli.iterations ? cli.iterations : iterations, cli.rate,
                          cli.duration || cli.iterations ? std::vector<Stage>{} : stages.value());
    if (!s.ok()) return done(Result<RunPlan>(s.error()));
    plan.scenarios = {s.value()};
  } else if (!scenarios.empty()) {
    if (option_shortcut) {
      return done(Result<RunPlan>(Error(
          "options: use either scenarios or the vus/duration/iterations/stages shortcuts, not "
          "both")));
    }
    plan.scenarios = std::move(scenarios);
  } else {
    auto s = shortcut_scenario(vus, duration, iterations, std::nullopt, stages.value());
    if (!s.ok()) return done(Result<RunPlan>(s.error().with_context("options")));
    plan.scenarios = {s.value()};
  }

  Status st = read_thresholds(L, r, plan, registry);
  if (!st.ok()) return done(Result<RunPlan>(st.error()));
  auto fail = [&](const Error& e) { return done(Result<RunPlan>(e)); };
  {
    auto v = r.boolean("discard_response_bodies");
    if (!v.ok()) return fail(v.error());
    plan.discard_response_bodies = v.value().value_or(false);
    auto tls = r.boolean("insecure_skip_tls_verify");
    if (!tls.ok()) return fail(tls.error());
    plan.insecure_skip_tls_verify = tls.value().value_or(false);
    auto redirects = r.count("max_redirects", 0);
    if (!redirects.ok()) return fail(redirects.error());
    if (redirects.value()) plan.max_redirects = static_cast<int>(*redirects.value());
    auto transport = r.string("http_transport");
    if (!transport.ok()) return fail(transport.error());
    if (transport.value()) {
      if (*transport.value() != "auto" && *transport.value() != "curl") {
        return fail(Error("options.http_transport: expected \"auto\" or \"curl\", got '" +
                          *transport.value() + "'"));
      }
      plan.http_transport = *transport.value();
    }
    auto ua = r.string("user_agent");
    if (!ua.ok()) return fail(ua.error());
    if (ua.value()) plan.user_agent = *ua.value();
    auto setup = r.duration("setup_timeout");
    if (!setup.ok()) return fail(setup.error());
    if (setup.value()) plan.setup_timeout = *setup.value();
    auto teardown = r.duration("teardown_timeout");
    if (!teardown.ok()) return fail(teardown.error());
    if (teardown.value()) plan.teardown_timeout = *teardown.value();
    auto series = r.count("max_series", 1);
    if (!series.ok()) return fail(series.error());
    if (series.value()) plan.max_series = static_cast<size_t>(*series.value());
    auto tags = r.string_map("tags");
    if (!tags.ok()) return fail(tags.error());
    plan.tags = tags.value();
  }
  st = read_chaos_options(L, r, plan.planned_duration(), plan.chaos);
  if (!st.ok()) return fail(st.error());
  Result<ExecutionTuple> segment = read_execution_segment(r, cli.segment);
  if (!segment.ok()) return fail(segment.error());
  st = apply_execution_segment(plan, segment.value());
  if (!st.ok()) return fail(st.error());
  st = r.no_unknown_keys("see docs/scripting.md for the options");
  if (!st.ok()) return fail(st.error());

  // Every scenario's exec function must exist.
  for (const ScenarioPlan& s : plan.scenarios) {
    int t = raw_global(L, s.exec.c_str());
    lua_pop(L, 1);
    if (t != LUA_TFUNCTION) {
      std::string where =
          s.name == "default" && s.exec == "default"
              ? "the script defines no function 'default' to run"
              : "options.scenarios." + s.name + ".exec: no global function '" + s.exec + "'";
      return fail(Error(where));
    }
  }
  return done(Result<RunPlan>(std::move(plan)));
}

}  // namespace stampede
