// The pure math of k6's staged executors: piecewise-linear ramps and arrival-rate schedules.
//
// A list of stages describes a value that starts at `start` and moves linearly to each stage's
// target over the stage's duration (a zero-duration stage jumps). ramping-vus reads it as a VU
// count, the arrival-rate executors as iterations per time_unit.
//
// ArrivalSchedule answers "when does arrival k start?" in closed form: the integral of the rate
// is piecewise quadratic, so a stage is found by binary search over cumulative areas and the
// time inside it by solving a quadratic. Nothing is accumulated from one arrival to the next, so
// arrival 10,000,000 is as exact as arrival 0 (to the nanosecond, rounded to nearest).
//
// When the first arrival happens follows k6 (grafana/k6, lib/executor/):
//   - ramping-arrival-rate (ramping_arrival_rate.go, RampingArrivalRateConfig.cal): arrival k
//     starts when the integral of the rate reaches k+1 ("the algorithm works with area so we need
//     to start from 1 not 0"). Ramping from 0 to 1/s over 5s therefore starts its first
//     iteration at sqrt(10) s = 3.162 s, and a flat 10/s starts at 100 ms, not at 0. An arrival
//     whose area lands exactly on the end is kept (k6's test TestRampingArrivalRateCal expects
//     {3.162s, 4.472s, 5.5s, 6.527s, 7.837s, 11s} for 0→1/5s, 1/1s, 1→0/5s), so
//     total() = floor(integral).
//   - constant-arrival-rate (constant_arrival_rate.go, Run): arrival k starts at k × period,
//     the first one at t = 0, and arrivals stop when the duration is over, so
//     total() = ceil(rate × duration / time_unit) (100/s for 10s: 1000 arrivals, 0 … 9.99 s).
// The two executors thus differ by one period for the same flat rate; both plan `integral`
// arrivals when it is a whole number.
//
// ArrivalSchedule is immutable after construction: copyable and safe to query from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.h"
#include "engine/core/clock.h"

namespace stampede {

// One step of a ramp: move to `target` over `duration` (0 = jump to it at once).
struct Stage {
  Nanos duration = 0;
  double target = 0;
};

// The ramp's value at time t (ns from the scenario start): `start` before 0, linear inside a
// stage, the last target after the last stage (or `start` when there are no stages). At a stage
// boundary the value is the finished stage's target. O(stages).
double ramp_value_at(double start, const std::vector<Stage>& stages, Nanos t);

// Sum of the stage durations (saturates at the largest Nanos instead of overflowing).
Nanos stages_total(const std::vector<Stage>& stages);

// When each iteration of an open-model (arrival-rate) scenario starts. Times are ns from the
// scenario start; arrival indexes are global (see segment.h for splitting them across workers).
class ArrivalSchedule {
 public:
  // ramping-arrival-rate: rates are iterations per `time_unit`, starting at `start_rate`.
  // Errors: time_unit <= 0, a negative or non-finite rate, a negative duration, stages longer
  // than the Nanos range, or more than 2^62 arrivals. No stages: a schedule with no arrivals.
  static Result<ArrivalSchedule> ramping(double start_rate, const std::vector<Stage>& stages,
                                         Nanos time_unit);

  // constant-arrival-rate: `rate` iterations per `time_unit` for `duration`, first one at t = 0.
  // Errors as for ramping().
  static Result<ArrivalSchedule> constant(double rate, Nanos time_unit, Nanos duration);

  // Start time of arrival k (0-based); nullopt when k < 0 or k >= total(). Non-decreasing in k.
  // O(log stages).
  std::optional<Nanos> time_of(int64_t k) const;

  // Number of arrivals with time_of(k) < t; count_until(*time_of(k)) <= k, and == k unless
  // several arrivals share that nanosecond. O(log stages) plus a few time_of() checks.
  int64_t count_until(Nanos t) const;

  // Number of arrivals in the whole schedule.
  int64_t total() const { return total_; }

  // Length of the schedule (sum of the stages, or the constant duration).
  Nanos duration() const { return duration_; }

 private:
  // One stage in absolute terms; areas are in arrivals, rates in arrivals per time_unit.
  struct Piece {
    Nanos start = 0;
    Nanos length = 0;
    long double from = 0;
    long double to = 0;
    long double units = 0;  // length / time_unit
    long double area_before = 0;
    long double area_end = 0;
  };

  static Result<ArrivalSchedule> build(double start_rate, const std::vector<Stage>& stages,
                                       Nanos time_unit, bool constant);
  Nanos offset_in_piece(const Piece& piece, long double area) const;
  long double area_at(Nanos t) const;
  bool before(int64_t k, Nanos t) const { return *time_of(k) < t; }
  int64_t first_not_before(int64_t lo, int64_t hi, Nanos t) const;

  std::vector<Piece> pieces_;
  int64_t first_area_ = 1;  // arrival k is where the integral reaches k + first_area_ (0 or 1)
  int64_t total_ = 0;
  Nanos duration_ = 0;
  Nanos last_arrival_bound_ = 0;  // end of the last piece with a positive area
};

}  // namespace stampede
