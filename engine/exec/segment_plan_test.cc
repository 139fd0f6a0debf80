// The union of the segments of a sequence is exactly the unsegmented scenario, for every
// executor, with the instance's share split over 1-3 worker threads (ScenarioSlice): the same
// VUs at every moment, the same iterations and iteration numbers, the same arrival start times.
#include "engine/exec/segment_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/exec/scenario_slice.h"
#include "engine/exec/segment.h"

namespace stampede {
namespace {

const std::vector<std::string> kSequences = {"0,1/3,2/3,1", "0,1/2,3/4,1", "0,1/5,1/2,1", "0,1"};

// One plan per segment of `sequence`, each with `scenario` as its only scenario.
std::vector<RunPlan> instances(const ScenarioPlan& scenario, const std::string& sequence) {
  const ExecutionSegmentSequence seq = parse_execution_segment_sequence(sequence).value();
  std::vector<RunPlan> out;
  for (const ExecutionSegment& segment : seq.segments()) {
    RunPlan plan;
    plan.scenarios = {scenario};
    Status st = apply_execution_segment(plan, ExecutionTuple::make(segment, seq).value());
    EXPECT_TRUE(st.ok()) << st.error().message();
    out.push_back(plan);
  }
  return out;
}

// Every (instance, worker) slice of the instances' first scenario, for `workers` threads each.
// The slices point into `plans`, which must outlive them.
std::vector<ScenarioSlice> slices(const std::vector<RunPlan>& plans, int workers) {
  std::vector<ScenarioSlice> out;
  for (const RunPlan& p : plans) {
    for (int w = 0; w < workers; ++w) out.emplace_back(p.scenarios[0], w, workers);
  }
  return out;
}

ScenarioPlan scenario(ExecutorKind kind) {
  ScenarioPlan s;
  s.name = "s";
  s.executor = kind;
  return s;
}

// The VU numbers all slices create for up to `vus_of(slice)` VUs each: must be 0..total-1.
template <typename F>
void expect_vu_numbers(const std::vector<ScenarioSlice>& all, int64_t total, F vus_of) {
  std::multiset<int64_t> numbers;
  for (const ScenarioSlice& s : all) {
    if (!s.active()) continue;
    for (int64_t n = 0; n < vus_of(s); ++n) numbers.insert(s.vu_number(n));
  }
  ASSERT_EQ(static_cast<int64_t>(numbers.size()), total);
  int64_t expected = 0;
  for (int64_t v : numbers) ASSERT_EQ(v, expected++);
}

TEST(SegmentPlan, ConstantVusAndPerVuIterations) {
  for (ExecutorKind kind : {ExecutorKind::kConstantVus, ExecutorKind::kPerVuIterations}) {
    for (int64_t vus : {1, 2, 7, 10, 33}) {
      ScenarioPlan s = scenario(kind);
      s.vus = vus;
      s.iterations = 5;
      s.duration = kNanosPerSecond;
      for (const std::string& seq : kSequences) {
        for (int workers = 1; workers <= 3; ++workers) {
          SCOPED_TRACE(seq + " vus " + std::to_string(vus) + " workers " + std::to_string(workers));
          const std::vector<RunPlan> plans = instances(s, seq);
          const std::vector<ScenarioSlice> all = slices(plans, workers);
          int64_t sum = 0;
          for (const ScenarioSlice& sl : all) sum += sl.active() ? sl.vus(vus) : 0;
          EXPECT_EQ(sum, vus);
          expect_vu_numbers(all, vus, [&](const ScenarioSlice& sl) { return sl.vus(vus); });
          // Iteration numbers (5 per VU for per-vu-iterations) are unique fleet-wide.
          std::set<int64_t> numbers;
          int64_t iterations = 0;
          for (const ScenarioSlice& sl : all) {
            if (!sl.active()) continue;
            for (int64_t n = 0; n < sl.vus(vus) * s.iterations; ++n) {
              ASSERT_TRUE(numbers.insert(sl.iteration_number(n)).second) << n;
              ++iterations;
            }
          }
          EXPECT_EQ(iterations, vus * s.iterations);
          int64_t part_sum = 0;
          for (const RunPlan& p : plans) part_sum += scenario_part(p.scenarios[0]).vus;
          EXPECT_EQ(part_sum, vus);
        }
      }
    }
  }
}

TEST(SegmentPlan, RampingVusAtEveryMoment) {
  ScenarioPlan s = scenario(ExecutorKind::kRampingVus);
  s.start_vus = 2;
  s.stages = {
      {10 * kNanosPerSecond, 7}, {5 * kNanosPerSecond, 13}, {0, 4}, {10 * kNanosPerSecond, 0}};
  for (const std::string& seq : kSequences) {
    for (int workers = 1; workers <= 3; ++workers) {
      SCOPED_TRACE(seq + " workers " + std::to_string(workers));
      const std::vector<RunPlan> plans = instances(s, seq);
      const std::vector<ScenarioSlice> all = slices(plans, workers);
      // The executor's target at t: its part of floor(ramp(t)) (RampingVus::local_target).
      for (Nanos t = 0; t <= stages_total(s.stages); t += 50 * kNanosPerMilli) {
        const double global = ramp_value_at(static_cast<double>(s.start_vus), s.stages, t);
        const int64_t whole = static_cast<int64_t>(std::floor(global + 1e-9));
        int64_t sum = 0;
        for (const ScenarioSlice& sl : all) sum += sl.active() ? sl.vus(whole) : 0;
        ASSERT_EQ(sum, whole) << "at " << t;
      }
      // Stage targets exactly, and the VUs each slice creates up front (its part of the peak).
      for (int64_t target : {int64_t{2}, int64_t{7}, int64_t{13}, int64_t{4}, int64_t{0}}) {
        int64_t sum = 0;
        for (const ScenarioSlice& sl : all) sum += sl.active() ? sl.vus(target) : 0;
        EXPECT_EQ(sum, target);
      }
      expect_vu_numbers(all, 13, [](const ScenarioSlice& sl) { return sl.vus(13); });
    }
  }
}

TEST(SegmentPlan, SharedIterations) {
  struct Case {
    int64_t vus, iterations;
  };
  for (const Case& c : {Case{10, 90}, Case{3, 90}, Case{2, 90}, Case{1, 7}, Case{7, 1000}}) {
    ScenarioPlan s = scenario(ExecutorKind::kSharedIterations);
    s.vus = c.vus;
    s.iterations = c.iterations;
    for (const std::string& seq : kSequences) {
      SCOPED_TRACE(seq + " vus " + std::to_string(c.vus));
      const std::vector<RunPlan> plans = instances(s, seq);
      std::multiset<int64_t> numbers;
      int64_t vus = 0;
      for (const RunPlan& p : plans) {
        const ScenarioSlice sl(p.scenarios[0], 0, 2);  // the instance's shared counter
        const int64_t mine = sl.instance_iterations();
        // k6: an instance without VUs gets no iterations.
        if (sl.instance_vus(c.vus) == 0) {
          EXPECT_EQ(mine, 0);
        }
        if (mine > 0) {
          EXPECT_TRUE(sl.active());
        }
        for (int64_t k = 0; k < mine; ++k) numbers.insert(sl.shared_iteration_number(k));
        vus += sl.instance_vus(c.vus);
        EXPECT_EQ(scenario_part(p.scenarios[0]).iterations, mine);
      }
      EXPECT_EQ(vus, c.vus);
      ASSERT_EQ(static_cast<int64_t>(numbers.size()), c.iterations);
      int64_t expected = 0;
      for (int64_t v : numbers) ASSERT_EQ(v, expected++);
    }
  }
}

// k6 deals shared iterations by VUs: 0,1/3,2/3,1 with 20 VUs is the sequence 0,7/20,7/10,1.
TEST(SegmentPlan, SharedIterationsFollowTheVus) {
  ScenarioPlan s = scenario(ExecutorKind::kSharedIterations);
  s.vus = 20;
  s.iterations = 50;
  std::vector<int64_t> got;
  for (const RunPlan& p : instances(s, "0,1/3,2/3,1")) {
    got.push_back(ScenarioSlice(p.scenarios[0], 0, 1).instance_iterations());
  }
  EXPECT_EQ(got, (std::vector<int64_t>{18, 17, 15}));  // k6 TestNewExecutionTuple: 18, 17, 15
}

// Arrival-rate executors: the instances' arrivals (each split over its workers) are exactly the
// unsegmented schedule's, and every instance keeps its share at every moment.
void expect_arrivals(const ScenarioPlan& s, const ArrivalSchedule& schedule) {
  for (const std::string& seq : kSequences) {
    for (int workers = 1; workers <= 3; ++workers) {
      SCOPED_TRACE(seq + " workers " + std::to_string(workers));
      const std::vector<RunPlan> plans = instances(s, seq);
      std::map<int64_t, Nanos> seen;  // global arrival -> start time
      int64_t planned = 0;
      for (const RunPlan& p : plans) {
        const ScenarioPart part = scenario_part(p.scenarios[0]);
        ASSERT_EQ(part.arrivals_total, schedule.total());
        planned += part.arrivals;
        std::vector<Nanos> mine;  // the instance's start times
        for (int w = 0; w < workers; ++w) {
          const ScenarioSlice sl(p.scenarios[0], w, workers);
          if (!sl.active()) continue;
          for (int64_t n = 0;; ++n) {  // as ArrivalRate::on_runner_timer walks them
            const int64_t k = sl.arrival(n);
            const auto at = schedule.time_of(k);
            if (!at) break;
            ASSERT_TRUE(seen.emplace(k, *at).second) << "arrival " << k << " twice";
            mine.push_back(*at);
          }
        }
        ASSERT_EQ(static_cast<int64_t>(mine.size()), part.arrivals);
        // Even at any moment: the instance's starts before t are its striped share of the
        // whole schedule's starts before t.
        std::sort(mine.begin(), mine.end());
        for (Nanos t = 0; t <= schedule.duration(); t += schedule.duration() / 97 + 1) {
          const int64_t before = std::lower_bound(mine.begin(), mine.end(), t) - mine.begin();
          const ScenarioShare& share = p.scenarios[0].share;
          ASSERT_EQ(before, share.has_work ? share.work.scale(schedule.count_until(t)) : 0) << t;
        }
      }
      EXPECT_EQ(planned, schedule.total());
      ASSERT_EQ(static_cast<int64_t>(seen.size()), schedule.total());
      int64_t k = 0;
      for (const auto& [index, at] : seen) {
        ASSERT_EQ(index, k);
        ASSERT_EQ(at, *schedule.time_of(k));
        ++k;
      }
    }
  }
}

TEST(SegmentPlan, ConstantArrivalRate) {
  for (int64_t max_vus : {int64_t{8}, int64_t{20}, int64_t{5}, int64_t{2}}) {
    ScenarioPlan s = scenario(ExecutorKind::kConstantArrivalRate);
    s.rate = 30;
    s.duration = 2 * kNanosPerSecond;
    s.pre_allocated_vus = std::min<int64_t>(4, max_vus);
    s.max_vus = max_vus;
    SCOPED_TRACE("max_vus " + std::to_string(max_vus));
    expect_arrivals(s, ArrivalSchedule::constant(s.rate, s.time_unit, s.duration).value());
  }
}

TEST(SegmentPlan, RampingArrivalRate) {
  ScenarioPlan s = scenario(ExecutorKind::kRampingArrivalRate);
  s.start_rate = 0;
  s.stages = {{kNanosPerSecond, 40}, {kNanosPerSecond, 40}, {kNanosPerSecond / 2, 0}};
  s.pre_allocated_vus = 10;
  s.max_vus = 20;
  const ArrivalSchedule schedule =
      ArrivalSchedule::ramping(s.start_rate, s.stages, s.time_unit).value();
  ASSERT_EQ(schedule.total(), 70);
  expect_arrivals(s, schedule);
}

// k6 deals arrivals by max VUs: 0,1/3,2/3,1 with 20 max VUs is 0,7/20,7/10,1, so 60 arrivals
// split 21/21/18; an instance with no VUs gets no arrivals.
TEST(SegmentPlan, ArrivalsFollowTheMaxVus) {
  ScenarioPlan s = scenario(ExecutorKind::kConstantArrivalRate);
  s.rate = 30;
  s.duration = 2 * kNanosPerSecond;
  s.pre_allocated_vus = 20;
  s.max_vus = 20;
  std::vector<int64_t> got;
  for (const RunPlan& p : instances(s, "0,1/3,2/3,1")) {
    got.push_back(scenario_part(p.scenarios[0]).arrivals);
  }
  EXPECT_EQ(got, (std::vector<int64_t>{21, 21, 18}));
  s.pre_allocated_vus = 1;
  s.max_vus = 1;
  got.clear();
  std::vector<bool> work;
  for (const RunPlan& p : instances(s, "0,1/3,2/3,1")) {
    got.push_back(scenario_part(p.scenarios[0]).arrivals);
    work.push_back(p.scenarios[0].share.has_work);
  }
  EXPECT_EQ(got, (std::vector<int64_t>{60, 0, 0}));
  EXPECT_EQ(work, (std::vector<bool>{true, false, false}));
}

TEST(SegmentPlan, WholeTestIsUnchanged) {
  ScenarioPlan s = scenario(ExecutorKind::kSharedIterations);
  s.vus = 4;
  s.iterations = 100;
  RunPlan plan;
  plan.scenarios = {s};
  ASSERT_TRUE(apply_execution_segment(plan, ExecutionTuple()).ok());
  EXPECT_TRUE(plan.segment.segment().is_full());
  EXPECT_EQ(plan.segment.sequence().to_string(), "0,1");
  for (int w = 0; w < 3; ++w) {
    const ScenarioSlice sl(plan.scenarios[0], w, 3);
    EXPECT_EQ(sl.instance_iterations(), 100);
    EXPECT_EQ(sl.shared_iteration_number(42), 42);
    EXPECT_EQ(sl.vus(4), segment_share(4, w, 3));
    EXPECT_EQ(sl.vu_number(1), segment_global_index(1, w, 3));
    EXPECT_EQ(sl.iteration_number(5), segment_global_index(5, w, 3));
  }
}

}  // namespace
}  // namespace stampede
