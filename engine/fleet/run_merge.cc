#include "engine/fleet/run_merge.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <unordered_map>

#include "engine/fleet/resilience_proto.h"
#include "engine/fleet/run_header.h"
#include "engine/metrics/hdr_codec.h"
#include "engine/run/absorb.h"
#include "engine/run/generator_check.h"
#include "engine/run/threshold_eval.h"
#include "engine/run/timeline.h"

namespace stampede {
namespace {

// One TagSet per distinct tag list, shared by every input (series match by content anyway).
class TagCache {
 public:
  TagSetPtr get(const google::protobuf::RepeatedPtrField<fleet::Tag>& tags) {
    std::string key;
    std::vector<Tag> list;
    for (const fleet::Tag& t : tags) {
      key += t.key() + '\0' + t.value() + '\0';
      list.emplace_back(t.key(), t.value());
    }
    auto it = sets_.find(key);
    if (it != sets_.end()) return it->second;
    TagSetPtr set = std::make_shared<const TagSet>(std::move(list));
    sets_.emplace(std::move(key), set);
    return set;
  }

 private:
  std::unordered_map<std::string, TagSetPtr> sets_;
};

Result<SparseCounts> decode_sparse(const std::string& bytes) {
  auto h = decode_histogram(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  if (!h.ok()) return h.error();
  SparseCounts out;
  h.value().export_nonzero(out);
  return out;
}

// The delta as the snapshot of one "worker" (the input), so the run's own aggregation takes it.
// The self-check percentages go back to nanoseconds of a 1 s interval (Timeline::add divides
// them again).
Result<IntervalSnapshot> to_snapshot(const fleet::IntervalDelta& d, int input,
                                     const MetricRegistry& registry, TagCache& tags) {
  IntervalSnapshot snap;
  snap.worker = input;
  snap.second = d.second();
  snap.start = 0;
  snap.end = kNanosPerSecond;
  for (const fleet::SeriesDelta& pb : d.series()) {
    if (pb.metric() >= static_cast<uint32_t>(registry.size())) {
      return Error("a series refers to metric #" + std::to_string(pb.metric()) +
                   ", which the header does not list");
    }
    SeriesDelta s;
    s.metric = static_cast<int>(pb.metric());
    s.tags = tags.get(pb.tags());
    s.count = pb.count();
    s.sum = pb.sum();
    s.min = pb.min();
    s.max = pb.max();
    if (!pb.histogram().empty()) {
      auto buckets = decode_sparse(pb.histogram());
      if (!buckets.ok()) {
        return buckets.error().with_context(registry.def(s.metric).name + " histogram");
      }
      s.buckets = std::move(buckets).value();
    }
    snap.series.push_back(std::move(s));
  }
  for (const fleet::ScriptError& e : d.script_errors()) {
    if (e.count() > 0) snap.script_errors.emplace_back(e.message(), e.count());
    if (!e.traceback().empty()) snap.first_tracebacks.emplace_back(e.message(), e.traceback());
  }
  snap.vus = d.vus();
  snap.interrupted_iterations = d.interrupted_iterations();
  snap.series_overflow = d.series_overflow();
  snap.fine_first = d.fine_first();
  for (const fleet::FineBucket& pb : d.fine()) {
    FineBucket b;
    b.requests = pb.requests();
    b.failed = pb.failed();
    if (pb.latency_size() != static_cast<int>(b.latency.size())) {
      return Error("a 100 ms bucket has " + std::to_string(pb.latency_size()) +
                   " latency classes, expected " + std::to_string(b.latency.size()));
    }
    for (size_t i = 0; i < b.latency.size(); ++i) b.latency[i] = pb.latency(static_cast<int>(i));
    snap.fine.push_back(b);
  }
  snap.cpu = std::llround(d.cpu_percent() * kNanosPerSecond / 100.0);
  snap.cpu_wait =
      d.cpu_wait_percent() < 0 ? -1 : std::llround(d.cpu_wait_percent() * kNanosPerSecond / 100.0);
  snap.loop_lag = std::llround(d.loop_lag_ms() * kNanosPerMilli);
  if (!d.schedule_lag().empty()) {
    auto lag = decode_sparse(d.schedule_lag());
    if (!lag.ok()) return lag.error().with_context("schedule lag histogram");
    snap.schedule_lag = std::move(lag).value();
  }
  return snap;
}

int outcome_rank(RunOutcome o) {
  switch (o) {
    case RunOutcome::kCompleted:
      return 0;
    case RunOutcome::kInterrupted:
      return 1;
    case RunOutcome::kAbortedByThreshold:
      return 2;
    case RunOutcome::kSetupFailed:
      return 3;
  }
  return 0;
}

RunOutcome outcome_from_name(const std::string& name) {
  for (RunOutcome o : {RunOutcome::kCompleted, RunOutcome::kInterrupted,
                       RunOutcome::kAbortedByThreshold, RunOutcome::kSetupFailed}) {
    if (name == run_outcome_name(o)) return o;
  }
  return RunOutcome::kInterrupted;
}

// Adds one input's requests, failures and iterations from its deltas.
void count_input(const fleet::IntervalDelta& d, MergeInput& in) {
  for (const fleet::SeriesDelta& s : d.series()) {
    if (s.metric() == kHttpReqs) in.requests += static_cast<int64_t>(s.sum());
    if (s.metric() == kHttpReqFailed) in.errors += static_cast<int64_t>(s.sum());
    if (s.metric() == kIterations) in.iterations += static_cast<int64_t>(s.sum());
  }
}

}  // namespace

Result<std::vector<MergeSource>> read_merge_sources(const std::vector<std::string>& dirs) {
  std::vector<MergeSource> out;
  for (const std::string& dir : dirs) {
    auto log = read_interval_log(dir + "/intervals.pb");
    if (!log.ok()) return log.error();
    out.push_back(MergeSource{dir, std::move(log).value()});
  }
  return out;
}

Result<MergedRun> merge_runs(const std::vector<MergeSource>& inputs, HlogWriter* hlog) {
  if (inputs.empty()) return Error("nothing to merge");
  Status same = check_same_test(inputs);
  if (!same.ok()) return same.error();
  auto coverage = check_segments(inputs);
  if (!coverage.ok()) return coverage.error();
  auto chaos_input = find_chaos_input(inputs);
  if (!chaos_input.ok()) return chaos_input.error();

  MergedRun merged;
  merged.registry = std::make_unique<MetricRegistry>();
  Status reg = registry_from_header(inputs[0].log.header, *merged.registry);
  if (!reg.ok()) return reg.error().with_context(inputs[0].dir);
  merged.registry->freeze();
  auto plan = plan_from_header(inputs[0].log.header);
  if (!plan.ok()) return plan.error().with_context(inputs[0].dir);
  merged.plan = std::make_unique<RunPlan>(std::move(plan).value());

  RunResult& result = merged.result;
  result.script = inputs[0].log.header.script_path();
  result.plan = merged.plan.get();
  result.metrics = std::make_unique<MetricsAggregate>(*merged.registry);
  MergeInfo info;
  info.sequence = coverage.value().sequence;
  info.covered = coverage.value().covered;
  info.missing = coverage.value().missing;
  if (!info.missing.empty()) {
    std::string gaps;
    for (const std::string& m : info.missing) gaps += (gaps.empty() ? "" : ", ") + m;
    info.warnings.push_back("the inputs cover " + info.covered + " of the test; missing: " + gaps);
  }

  TagCache tags;
  int64_t start_ms = INT64_MAX;
  Nanos duration = 0;
  double setup_seconds = 0, teardown_seconds = 0;
  HdrHistogram setup_latency, teardown_latency;
  struct Load {
    int64_t second;
    int input;
    const fleet::IntervalDelta* delta;
  };
  std::vector<Load> load;
  std::vector<size_t> last_load(inputs.size(), SIZE_MAX);
  int workers = 0;
  double process_cpu = 0;

  for (size_t i = 0; i < inputs.size(); ++i) {
    const MergeSource& src = inputs[i];
    const IntervalLog& log = src.log;
    MergeInput in;
    in.dir = src.dir;
    in.segment = coverage.value().segments[i];
    start_ms = std::min<int64_t>(start_ms, log.header.start_unix_ms());
    workers += log.header.workers();
    if (!log.truncated.empty()) {
      info.warnings.push_back(src.dir + "/intervals.pb: " + log.truncated +
                              "; merging the records before it");
    }
    int64_t last_second = 0;
    for (const fleet::IntervalDelta& d : log.intervals) {
      count_input(d, in);
      if (!d.one_off().empty()) {
        auto snap = to_snapshot(d, static_cast<int>(i), *merged.registry, tags);
        if (!snap.ok()) return snap.error().with_context(src.dir + "/intervals.pb");
        absorb_snapshot(snap.value(), result);
        bool setup = d.one_off() == "setup";
        (setup ? setup_seconds : teardown_seconds) =
            std::max(setup ? setup_seconds : teardown_seconds, d.one_off_seconds());
        for (const SeriesDelta& s : snap.value().series) {
          if (s.metric == kHttpReqDuration) {
            (void)(setup ? setup_latency : teardown_latency).add_sparse(s.buckets);
          }
        }
        continue;
      }
      ++in.seconds;
      last_second = std::max(last_second, d.second());
      last_load[i] = load.size();
      load.push_back(Load{d.second(), static_cast<int>(i), &d});
    }
    RunOutcome outcome = RunOutcome::kInterrupted;
    std::string detail;
    if (log.footer) {
      outcome = outcome_from_name(log.footer->outcome());
      detail = log.footer->outcome_detail();
      in.outcome = log.footer->outcome();
      duration = std::max<Nanos>(duration, log.footer->duration_ns());
      result.vus_max += log.footer->vus_max();
      process_cpu += log.footer->process_cpu_percent();
    } else {
      in.outcome = "killed";
      detail = "the run did not finish (its log has no footer)";
      duration = std::max<Nanos>(duration, last_second * kNanosPerSecond);
      info.warnings.push_back(src.dir + ": " + detail + "; merging the " +
                              std::to_string(in.seconds) + " seconds it logged");
    }
    if (outcome_rank(outcome) > outcome_rank(result.outcome)) {
      result.outcome = outcome;
      result.outcome_detail = src.dir + ": " + (detail.empty() ? in.outcome : detail);
    }
    info.inputs.push_back(std::move(in));
  }
  result.start_unix_ms = start_ms;
  result.duration = duration;

  // Every input's seconds in order, each input's last second marked final so the timeline
  // closes exactly as the live run's did.
  std::vector<bool> is_last(load.size(), false);
  for (size_t idx : last_load) {
    if (idx != SIZE_MAX) is_last[idx] = true;
  }
  std::vector<size_t> order(load.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return load[a].second != load[b].second ? load[a].second < load[b].second
                                            : load[a].input < load[b].input;
  });
  if (hlog != nullptr && !setup_latency.empty()) {
    Status st = hlog->write_interval(0, setup_seconds, setup_latency, "setup");
    if (!st.ok()) info.warnings.push_back("latency.hlog: " + st.error().message());
  }
  Timeline timeline(static_cast<int>(inputs.size()), hlog, setup_seconds);
  for (size_t k : order) {
    const Load& l = load[k];
    auto snap = to_snapshot(*l.delta, l.input, *merged.registry, tags);
    if (!snap.ok()) return snap.error().with_context(inputs[l.input].dir + "/intervals.pb");
    snap.value().final = is_last[k];
    absorb_snapshot(snap.value(), result);
    timeline.add(snap.value());
  }
  timeline.finish();
  if (!timeline.hlog_status().ok()) {
    info.warnings.push_back("latency.hlog: " + timeline.hlog_status().error().message());
  }
  if (hlog != nullptr && !teardown_latency.empty()) {
    double at = setup_seconds + static_cast<double>(duration) / kNanosPerSecond;
    Status st = hlog->write_interval(at, teardown_seconds, teardown_latency, "teardown");
    if (!st.ok()) info.warnings.push_back("latency.hlog: " + st.error().message());
  }
  result.timeline = timeline.points();
  result.fine_timeline = std::move(timeline.fine());
  result.fine_timeline.pad_to(static_cast<double>(result.duration) / kNanosPerSecond);
  result.generator =
      summarize_generator(result.timeline, timeline.schedule_lag(), workers, process_cpu);

  if (chaos_input.value() >= 0) {
    result.resilience = resilience_from_proto(
        inputs[static_cast<size_t>(chaos_input.value())].log.footer->resilience());
  } else {
    for (const MergeSource& src : inputs) {
      if (src.log.footer && src.log.footer->resilience().validations_size() > 0) {
        info.warnings.push_back(src.dir +
                                ": its validations judged only its own part of the load and are "
                                "not carried into the merged result");
      }
    }
  }
  result.thresholds = evaluate_thresholds(*merged.plan, *result.metrics, result.duration);
  result.merge = std::move(info);
  return merged;
}

}  // namespace stampede
