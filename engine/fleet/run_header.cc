#include "engine/fleet/run_header.h"

#include <cstdio>
#include <fstream>
#include <iterator>

namespace stampede {
namespace {

std::string hex64(uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

void put_tags(const std::vector<Tag>& tags, google::protobuf::RepeatedPtrField<fleet::Tag>* out) {
  for (const Tag& t : tags) {
    fleet::Tag* pb = out->Add();
    pb->set_key(t.first);
    pb->set_value(t.second);
  }
}

std::vector<Tag> get_tags(const google::protobuf::RepeatedPtrField<fleet::Tag>& tags) {
  std::vector<Tag> out;
  for (const fleet::Tag& t : tags) out.emplace_back(t.key(), t.value());
  return out;
}

void put_scenario(const ScenarioPlan& s, fleet::Scenario* pb) {
  pb->set_name(s.name);
  pb->set_executor(executor_name(s.executor));
  pb->set_exec(s.exec);
  pb->set_start_time_ns(s.start_time);
  pb->set_graceful_stop_ns(s.graceful_stop);
  put_tags(s.tags, pb->mutable_tags());
  pb->set_vus(s.vus);
  pb->set_duration_ns(s.duration);
  pb->set_iterations(s.iterations);
  pb->set_max_duration_ns(s.max_duration);
  pb->set_start_vus(s.start_vus);
  for (const Stage& st : s.stages) {
    fleet::Stage* p = pb->add_stages();
    p->set_duration_ns(st.duration);
    p->set_target(st.target);
  }
  pb->set_graceful_ramp_down_ns(s.graceful_ramp_down);
  pb->set_rate(s.rate);
  pb->set_start_rate(s.start_rate);
  pb->set_time_unit_ns(s.time_unit);
  pb->set_pre_allocated_vus(s.pre_allocated_vus);
  pb->set_max_vus(s.max_vus);
}

Result<ExecutorKind> executor_from_name(const std::string& name) {
  for (ExecutorKind k : {ExecutorKind::kConstantVus, ExecutorKind::kRampingVus,
                         ExecutorKind::kPerVuIterations, ExecutorKind::kSharedIterations,
                         ExecutorKind::kConstantArrivalRate, ExecutorKind::kRampingArrivalRate}) {
    if (name == executor_name(k)) return k;
  }
  return Error("unknown executor '" + name + "'");
}

Result<MetricType> metric_type_from_name(const std::string& name) {
  for (MetricType t :
       {MetricType::kCounter, MetricType::kGauge, MetricType::kRate, MetricType::kTrend}) {
    if (name == metric_type_name(t)) return t;
  }
  return Error("unknown metric type '" + name + "'");
}

}  // namespace

std::string hash_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return hex64(fnv1a(bytes));
}

std::string options_hash(const fleet::RunHeader& header) {
  // The messages hold no maps, so their serialization is deterministic.
  fleet::RunHeader options;
  *options.mutable_scenarios() = header.scenarios();
  *options.mutable_thresholds() = header.thresholds();
  *options.mutable_tags() = header.tags();
  options.set_max_series(header.max_series());
  return hex64(fnv1a(options.SerializeAsString()));
}

fleet::RunHeader make_run_header(const RunHeaderInput& in) {
  fleet::RunHeader h;
  h.set_stampede_version(kStampedeVersion);
  h.set_script_path(in.script_path);
  h.set_script_hash(hash_file(in.script_path));
  h.set_execution_segment(in.execution_segment);
  h.set_execution_segment_sequence(in.execution_segment_sequence);
  h.set_start_unix_ms(in.start_unix_ms);
  h.set_workers(in.workers);
  for (int id = 0; id < in.registry->size(); ++id) {
    const MetricDef& def = in.registry->def(id);
    fleet::MetricDef* pb = h.add_metrics();
    pb->set_name(def.name);
    pb->set_type(std::string(metric_type_name(def.type)));
    pb->set_is_time(def.is_time);
  }
  for (const ScenarioPlan& s : in.plan->scenarios) put_scenario(s, h.add_scenarios());
  for (const ThresholdPlan& tp : in.plan->thresholds) {
    fleet::Threshold* t = h.add_thresholds();
    t->set_selector(tp.selector.canonical());
    for (const ThresholdRule& r : tp.rules) {
      fleet::ThresholdRule* pr = t->add_rules();
      pr->set_expression(r.expr.source);
      pr->set_abort_on_fail(r.abort_on_fail);
      pr->set_delay_abort_eval_ns(r.delay_abort_eval);
    }
  }
  put_tags(in.plan->tags, h.mutable_tags());
  h.set_max_series(static_cast<int64_t>(in.plan->max_series));
  h.set_options_hash(options_hash(h));
  return h;
}

Status registry_from_header(const fleet::RunHeader& header, MetricRegistry& registry) {
  for (int id = 0; id < header.metrics_size(); ++id) {
    const fleet::MetricDef& m = header.metrics(id);
    auto type = metric_type_from_name(m.type());
    if (!type.ok()) return type.error().with_context("metric " + m.name());
    if (id < registry.size()) {
      const MetricDef& def = registry.def(id);
      if (def.name != m.name() || def.type != type.value() || def.is_time != m.is_time()) {
        return Error("metric #" + std::to_string(id) + " is '" + m.name() + "', expected '" +
                     def.name + "' (another stampede version?)");
      }
      continue;
    }
    auto added = registry.add(m.name(), type.value(), m.is_time());
    if (!added.ok()) return added.error().with_context("metric " + m.name());
    if (added.value() != id) return Error("metric '" + m.name() + "' is listed twice");
  }
  if (header.metrics_size() < kBuiltinMetricCount) {
    return Error("the header lists " + std::to_string(header.metrics_size()) +
                 " metrics, fewer than the built-ins");
  }
  return Status::Ok();
}

Result<RunPlan> plan_from_header(const fleet::RunHeader& header) {
  RunPlan plan;
  for (const fleet::Scenario& pb : header.scenarios()) {
    ScenarioPlan s;
    s.name = pb.name();
    auto kind = executor_from_name(pb.executor());
    if (!kind.ok()) return kind.error().with_context("scenario " + pb.name());
    s.executor = kind.value();
    s.exec = pb.exec();
    s.start_time = pb.start_time_ns();
    s.graceful_stop = pb.graceful_stop_ns();
    s.tags = get_tags(pb.tags());
    s.vus = pb.vus();
    s.duration = pb.duration_ns();
    s.iterations = pb.iterations();
    s.max_duration = pb.max_duration_ns();
    s.start_vus = pb.start_vus();
    for (const fleet::Stage& st : pb.stages())
      s.stages.push_back(Stage{st.duration_ns(), st.target()});
    s.graceful_ramp_down = pb.graceful_ramp_down_ns();
    s.rate = pb.rate();
    s.start_rate = pb.start_rate();
    s.time_unit = pb.time_unit_ns();
    s.pre_allocated_vus = pb.pre_allocated_vus();
    s.max_vus = pb.max_vus();
    plan.scenarios.push_back(std::move(s));
  }
  for (const fleet::Threshold& t : header.thresholds()) {
    auto selector = parse_metric_selector(t.selector());
    if (!selector.ok()) return selector.error();
    ThresholdPlan tp;
    tp.selector = std::move(selector).value();
    for (const fleet::ThresholdRule& r : t.rules()) {
      auto expr = parse_threshold_expr(r.expression());
      if (!expr.ok()) return expr.error().with_context("threshold " + t.selector());
      ThresholdRule rule;
      rule.expr = std::move(expr).value();
      rule.abort_on_fail = r.abort_on_fail();
      rule.delay_abort_eval = r.delay_abort_eval_ns();
      tp.rules.push_back(std::move(rule));
    }
    plan.thresholds.push_back(std::move(tp));
  }
  plan.tags = get_tags(header.tags());
  plan.max_series = static_cast<size_t>(header.max_series());
  return plan;
}

}  // namespace stampede
