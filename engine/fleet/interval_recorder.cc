#include "engine/fleet/interval_recorder.h"

#include <algorithm>
#include <climits>

#include "engine/fleet/resilience_proto.h"
#include "engine/metrics/hdr_codec.h"

namespace stampede {
namespace {

std::string to_bytes(const std::vector<uint8_t>& v) {
  return std::string(v.begin(), v.end());
}

}  // namespace

IntervalRecorder::IntervalRecorder(std::unique_ptr<IntervalLogWriter> writer,
                                   const MetricRegistry& registry, int workers)
    : writer_(std::move(writer)),
      registry_(registry),
      reported_up_to_(static_cast<size_t>(std::max(1, workers)), 0) {}

void IntervalRecorder::append(const fleet::LogRecord& record) {
  if (!status_.ok()) return;
  status_ = writer_->append(record);
}

void IntervalRecorder::write_header(const fleet::RunHeader& header) {
  fleet::LogRecord record;
  *record.mutable_header() = header;
  append(record);
}

// The same arithmetic as MetricValue::merge(SeriesDelta), so a merged second aggregates exactly
// like the workers' snapshots would.
void IntervalRecorder::merge_series(Bin& bin, const SeriesDelta& d) {
  uint64_t key = d.tags->hash() * 31 + static_cast<uint64_t>(d.metric);
  SeriesAcc* acc = nullptr;
  auto range = bin.index.equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    SeriesAcc& s = bin.series[it->second];
    if (s.metric == d.metric && *s.tags == *d.tags) {
      acc = &s;
      break;
    }
  }
  if (acc == nullptr) {
    bin.series.push_back(SeriesAcc{d.metric, d.tags, 0, 0, 0, 0, nullptr});
    bin.index.emplace(key, bin.series.size() - 1);
    acc = &bin.series.back();
  }
  if (d.count == 0) return;
  if (acc->count == 0) {
    acc->min = d.min;
    acc->max = d.max;
  } else {
    acc->min = std::min(acc->min, d.min);
    acc->max = std::max(acc->max, d.max);
  }
  acc->count += d.count;
  if (registry_.def(d.metric).type == MetricType::kGauge) {
    acc->sum = d.sum;
  } else {
    acc->sum += d.sum;
  }
  if (!d.buckets.empty()) {
    if (!acc->hist) {
      bool is_time = registry_.def(d.metric).is_time;
      acc->hist =
          std::make_unique<HdrHistogram>(1, is_time ? kTimeTrendHighest : kValueTrendHighest, 3);
    }
    (void)acc->hist->add_sparse(d.buckets);
  }
}

void IntervalRecorder::merge_common(Bin& bin, const IntervalSnapshot& snap) {
  for (const SeriesDelta& d : snap.series) merge_series(bin, d);
  for (const auto& [message, n] : snap.script_errors) {
    auto it = std::find_if(bin.errors.begin(), bin.errors.end(),
                           [&](const auto& e) { return e.first == message; });
    if (it == bin.errors.end()) {
      bin.errors.emplace_back(message, n);
    } else {
      it->second += n;
    }
  }
  for (const auto& [message, trace] : snap.first_tracebacks) bin.tracebacks.emplace(message, trace);
  bin.interrupted += snap.interrupted_iterations;
  bin.overflow = bin.overflow || snap.series_overflow;
}

void IntervalRecorder::add(const IntervalSnapshot& snap) {
  Bin& bin = open_[snap.second];
  merge_common(bin, snap);
  bin.vus += snap.vus;
  if (!snap.fine.empty()) bin.fine.emplace_back(snap.fine_first, snap.fine);
  // The generator self-check, as Timeline::add computes it.
  if (snap.end > snap.start) {
    double length = static_cast<double>(snap.end - snap.start);
    bin.cpu_percent = std::max(bin.cpu_percent, 100.0 * static_cast<double>(snap.cpu) / length);
    if (snap.cpu_wait >= 0) {
      bin.cpu_wait_percent =
          std::max(bin.cpu_wait_percent, 100.0 * static_cast<double>(snap.cpu_wait) / length);
    }
  }
  bin.loop_lag_ms = std::max(bin.loop_lag_ms, static_cast<double>(snap.loop_lag) / kNanosPerMilli);
  if (!snap.schedule_lag.empty()) {
    if (!bin.schedule_lag) bin.schedule_lag = std::make_unique<HdrHistogram>();
    (void)bin.schedule_lag->add_sparse(snap.schedule_lag);
  }

  if (snap.worker >= 0 && static_cast<size_t>(snap.worker) < reported_up_to_.size()) {
    reported_up_to_[snap.worker] = snap.final ? INT64_MAX : snap.second;
  }
  int64_t complete = *std::min_element(reported_up_to_.begin(), reported_up_to_.end());
  while (!open_.empty() && open_.begin()->first <= complete) {
    fleet::LogRecord record;
    *record.mutable_interval() = encode(open_.begin()->second);
    record.mutable_interval()->set_second(open_.begin()->first);
    open_.erase(open_.begin());
    append(record);
  }
}

void IntervalRecorder::add_one_off(const std::string& name,
                                   const std::vector<IntervalSnapshot>& snapshots, double seconds) {
  if (snapshots.empty()) return;
  Bin bin;
  for (const IntervalSnapshot& snap : snapshots) merge_common(bin, snap);
  fleet::LogRecord record;
  *record.mutable_interval() = encode(bin);
  record.mutable_interval()->set_one_off(name);
  record.mutable_interval()->set_one_off_seconds(seconds);
  append(record);
}

void IntervalRecorder::finish() {
  while (!open_.empty()) {
    fleet::LogRecord record;
    *record.mutable_interval() = encode(open_.begin()->second);
    record.mutable_interval()->set_second(open_.begin()->first);
    open_.erase(open_.begin());
    append(record);
  }
}

fleet::IntervalDelta IntervalRecorder::encode(Bin& bin) const {
  fleet::IntervalDelta out;
  for (const SeriesAcc& s : bin.series) {
    fleet::SeriesDelta* pb = out.add_series();
    pb->set_metric(static_cast<uint32_t>(s.metric));
    for (const Tag& t : s.tags->tags()) {
      fleet::Tag* tag = pb->add_tags();
      tag->set_key(t.first);
      tag->set_value(t.second);
    }
    pb->set_count(s.count);
    pb->set_sum(s.sum);
    pb->set_min(s.min);
    pb->set_max(s.max);
    if (s.hist && !s.hist->empty()) pb->set_histogram(to_bytes(encode_v2_compressed(*s.hist)));
  }
  for (const auto& [message, n] : bin.errors) {
    fleet::ScriptError* e = out.add_script_errors();
    e->set_message(message);
    e->set_count(n);
    auto it = bin.tracebacks.find(message);
    if (it != bin.tracebacks.end()) e->set_traceback(it->second);
  }
  // A traceback can arrive without a count in the same snapshot; keep it.
  for (const auto& [message, trace] : bin.tracebacks) {
    bool listed = std::any_of(bin.errors.begin(), bin.errors.end(),
                              [&](const auto& e) { return e.first == message; });
    if (listed) continue;
    fleet::ScriptError* e = out.add_script_errors();
    e->set_message(message);
    e->set_traceback(trace);
  }
  out.set_vus(bin.vus);
  out.set_interrupted_iterations(bin.interrupted);
  out.set_series_overflow(bin.overflow);
  // The workers' 100 ms slices as one contiguous run.
  if (!bin.fine.empty()) {
    int64_t lo = INT64_MAX, hi = 0;
    for (const auto& [first, buckets] : bin.fine) {
      lo = std::min(lo, first);
      hi = std::max(hi, first + static_cast<int64_t>(buckets.size()));
    }
    std::vector<FineBucket> merged(static_cast<size_t>(hi - lo));
    for (const auto& [first, buckets] : bin.fine) {
      for (size_t i = 0; i < buckets.size(); ++i) {
        merged[static_cast<size_t>(first - lo) + i].add(buckets[i]);
      }
    }
    out.set_fine_first(lo);
    for (const FineBucket& b : merged) {
      fleet::FineBucket* pb = out.add_fine();
      pb->set_requests(b.requests);
      pb->set_failed(b.failed);
      for (int64_t n : b.latency) pb->add_latency(n);
    }
  }
  out.set_cpu_percent(bin.cpu_percent);
  out.set_cpu_wait_percent(bin.cpu_wait_percent);
  out.set_loop_lag_ms(bin.loop_lag_ms);
  if (bin.schedule_lag && !bin.schedule_lag->empty()) {
    out.set_schedule_lag(to_bytes(encode_v2_compressed(*bin.schedule_lag)));
  }
  return out;
}

void IntervalRecorder::write_footer(const RunResult& result) {
  fleet::LogRecord record;
  fleet::RunFooter* f = record.mutable_footer();
  f->set_outcome(run_outcome_name(result.outcome));
  f->set_outcome_detail(result.outcome_detail);
  f->set_duration_ns(result.duration);
  f->set_vus_max(result.vus_max);
  f->set_process_cpu_percent(result.generator.process_cpu_percent);
  resilience_to_proto(result.resilience, f->mutable_resilience());
  append(record);
}

}  // namespace stampede
