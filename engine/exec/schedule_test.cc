#include "engine/exec/schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace stampede {
namespace {

constexpr Nanos kMs = kNanosPerMilli;
constexpr Nanos kSec = kNanosPerSecond;
constexpr Nanos kMinute = 60 * kSec;

ArrivalSchedule ramping_ok(double start, const std::vector<Stage>& stages, Nanos unit = kSec) {
  Result<ArrivalSchedule> r = ArrivalSchedule::ramping(start, stages, unit);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? r.value() : ArrivalSchedule::ramping(0, {}, kSec).value();
}

ArrivalSchedule constant_ok(double rate, Nanos unit, Nanos duration) {
  Result<ArrivalSchedule> r = ArrivalSchedule::constant(rate, unit, duration);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? r.value() : ArrivalSchedule::ramping(0, {}, kSec).value();
}

Nanos at(const ArrivalSchedule& s, int64_t k) {
  std::optional<Nanos> t = s.time_of(k);
  EXPECT_TRUE(t.has_value()) << k;
  return t.value_or(-1);
}

// Checks the contract between time_of and count_until for every arrival of a schedule.
void expect_consistent(const ArrivalSchedule& s) {
  Nanos previous = 0;
  for (int64_t k = 0; k < s.total(); ++k) {
    const Nanos t = *s.time_of(k);
    ASSERT_GE(t, previous) << "not monotone at " << k;
    ASSERT_GE(t, 0);
    ASSERT_LE(t, s.duration());
    if (t != previous || k == 0) {
      ASSERT_EQ(s.count_until(t), k) << "at " << k << " t=" << t;
    }
    ASSERT_GE(s.count_until(t + 1), k + 1) << "at " << k;
    previous = t;
  }
  ASSERT_FALSE(s.time_of(s.total()).has_value());
  ASSERT_EQ(s.count_until(s.duration() + 1), s.total());
}

// The number of arrivals in [from, to) is the integral of the rate, give or take one.
long double integral(double start, const std::vector<Stage>& stages, Nanos unit, Nanos from,
                     Nanos to) {
  // Simpson on each stage piece is exact for linear rates.
  long double area = 0;
  Nanos stage_start = 0;
  double rate_from = start;
  for (const Stage& st : stages) {
    const Nanos a = std::max(from, stage_start);
    const Nanos b = std::min(to, stage_start + st.duration);
    if (b > a) {
      const double ra = ramp_value_at(start, stages, a);
      // Evaluate the linear rate at b from inside the stage (ramp_value_at(b) may be past it).
      const double rb = rate_from + (st.target - rate_from) * static_cast<double>(b - stage_start) /
                                        static_cast<double>(st.duration);
      area += static_cast<long double>(b - a) / unit * (ra + rb) / 2;
    }
    stage_start += st.duration;
    rate_from = st.target;
  }
  return area;
}

TEST(RampValueAt, Linear) {
  const std::vector<Stage> stages = {{10 * kSec, 100}, {10 * kSec, 100}, {5 * kSec, 0}};
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, -1), 0);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 0), 0);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 5 * kSec), 50);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 10 * kSec), 100);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 15 * kSec), 100);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 22500 * kMs), 50);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 25 * kSec), 0);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 100 * kSec), 0);
  EXPECT_DOUBLE_EQ(ramp_value_at(7, {}, 5 * kSec), 7);
  EXPECT_DOUBLE_EQ(ramp_value_at(7, {{10 * kSec, 7}}, 5 * kSec), 7);
}

TEST(RampValueAt, ZeroDurationStageJumps) {
  const std::vector<Stage> stages = {{0, 50}, {10 * kSec, 50}, {0, 10}, {10 * kSec, 30}};
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 0), 50);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 9 * kSec), 50);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 10 * kSec), 10);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 15 * kSec), 20);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, stages, 20 * kSec), 30);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, {{0, 5}}, 0), 5);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, {{0, 5}}, -1), 0);
}

TEST(StagesTotal, SumsAndSaturates) {
  EXPECT_EQ(stages_total({}), 0);
  EXPECT_EQ(stages_total({{30 * kSec, 1}, {0, 5}, {2 * kMinute, 3}}), 150 * kSec);
  const Nanos max = std::numeric_limits<Nanos>::max();
  EXPECT_EQ(stages_total({{max, 1}, {1, 1}}), max);
  EXPECT_DOUBLE_EQ(ramp_value_at(0, {{max, 10}, {max, 20}}, max), 10);
}

// k6 lib/executor/ramping_arrival_rate_test.go, TestRampingArrivalRateCal: 0→1/s over 5s, 1/s for
// 1s, 1→0 over 5s plans arrivals at 3162ms, 4472ms, 5500ms, 6527ms, 7837ms and 11s.
TEST(ArrivalSchedule, MatchesK6RampingCal) {
  const ArrivalSchedule s = ramping_ok(0, {{5 * kSec, 1}, {1 * kSec, 1}, {5 * kSec, 0}});
  ASSERT_EQ(s.total(), 6);
  EXPECT_EQ(s.duration(), 11 * kSec);
  const Nanos expected_ms[] = {3162, 4472, 5500, 6527, 7837, 11000};
  for (int k = 0; k < 6; ++k) EXPECT_EQ(at(s, k) / kMs, expected_ms[k]) << k;
  EXPECT_EQ(at(s, 0), 3162277660);  // sqrt(10) s
  EXPECT_EQ(at(s, 5), 11 * kSec);
  expect_consistent(s);

  // The same with a time unit of 1m and rates ×60 gives the same times.
  const ArrivalSchedule m = ramping_ok(0, {{5 * kSec, 60}, {1 * kSec, 60}, {5 * kSec, 0}}, kMinute);
  ASSERT_EQ(m.total(), 6);
  for (int k = 0; k < 6; ++k) EXPECT_NEAR(at(m, k), at(s, k), 1) << k;
}

// k6 TestRampingArrivalRateCornerCase shape: startRate 1, one 1s stage at 1 → one arrival at 1s.
TEST(ArrivalSchedule, RampingFirstArrivalAfterOnePeriod) {
  const ArrivalSchedule s = ramping_ok(1, {{kSec, 1}});
  ASSERT_EQ(s.total(), 1);
  EXPECT_EQ(at(s, 0), kSec);
  const ArrivalSchedule flat = ramping_ok(10, {{10 * kSec, 10}});
  ASSERT_EQ(flat.total(), 100);
  EXPECT_EQ(at(flat, 0), 100 * kMs);
  EXPECT_EQ(at(flat, 99), 10 * kSec);
  expect_consistent(flat);
}

TEST(ArrivalSchedule, ConstantStartsAtZero) {
  const ArrivalSchedule s = constant_ok(100, kSec, 10 * kSec);
  ASSERT_EQ(s.total(), 1000);
  EXPECT_EQ(s.duration(), 10 * kSec);
  EXPECT_EQ(at(s, 0), 0);
  EXPECT_EQ(at(s, 1), 10 * kMs);
  EXPECT_EQ(at(s, 500), 5 * kSec);
  EXPECT_EQ(at(s, 999), 9990 * kMs);
  EXPECT_FALSE(s.time_of(1000).has_value());
  EXPECT_FALSE(s.time_of(-1).has_value());
  EXPECT_EQ(s.count_until(0), 0);
  EXPECT_EQ(s.count_until(1), 1);
  EXPECT_EQ(s.count_until(10 * kMs), 1);
  EXPECT_EQ(s.count_until(10 * kMs + 1), 2);
  EXPECT_EQ(s.count_until(9990 * kMs), 999);
  EXPECT_EQ(s.count_until(10 * kSec), 1000);
  EXPECT_EQ(s.count_until(std::numeric_limits<Nanos>::max()), 1000);
  expect_consistent(s);
}

TEST(ArrivalSchedule, ConstantCounts) {
  EXPECT_EQ(constant_ok(100, kSec, 10 * kSec).total(), 1000);
  EXPECT_EQ(constant_ok(30, kMinute, 2 * kMinute).total(), 60);
  EXPECT_EQ(at(constant_ok(30, kMinute, 2 * kMinute), 1), 2 * kSec);
  EXPECT_EQ(constant_ok(1, kSec, 2500 * kMs).total(), 3);  // 0s, 1s, 2s
  EXPECT_EQ(constant_ok(1, kSec, 2 * kSec).total(), 2);    // 0s, 1s (2s is the end)
  EXPECT_EQ(constant_ok(50, 100 * kMs, kSec).total(), 500);
  EXPECT_EQ(constant_ok(0.5, kSec, 10 * kSec).total(), 5);
  EXPECT_EQ(constant_ok(0, kSec, 10 * kSec).total(), 0);
  EXPECT_EQ(constant_ok(100, kSec, 0).total(), 0);

  const ArrivalSchedule thirds = constant_ok(3, kSec, kSec);
  ASSERT_EQ(thirds.total(), 3);
  EXPECT_EQ(at(thirds, 0), 0);
  EXPECT_EQ(at(thirds, 1), 333333333);
  EXPECT_EQ(at(thirds, 2), 666666667);
}

TEST(ArrivalSchedule, RampingFromZero) {
  // rate(t) = t/s², integral t²/2: arrival k at sqrt(2(k+1)) s; 50 arrivals, the last at 10s.
  const ArrivalSchedule s = ramping_ok(0, {{10 * kSec, 10}});
  ASSERT_EQ(s.total(), 50);
  for (int64_t k = 0; k < 50; ++k) {
    const long double exact = std::sqrt(2.0L * static_cast<long double>(k + 1)) * 1e9L;
    EXPECT_EQ(at(s, k), std::llround(exact)) << k;
  }
  EXPECT_EQ(at(s, 49), 10 * kSec);
  expect_consistent(s);
}

TEST(ArrivalSchedule, RampingDownToZero) {
  const ArrivalSchedule s = ramping_ok(10, {{10 * kSec, 0}});
  ASSERT_EQ(s.total(), 50);
  // area(t) = 10t - t²/2 = k+1  =>  t = 10 - sqrt(100 - 2(k+1)).
  for (int64_t k = 0; k < 50; ++k) {
    const long double exact =
        (10.0L - std::sqrt(100.0L - 2.0L * static_cast<long double>(k + 1))) * 1e9L;
    EXPECT_NEAR(at(s, k), exact, 1) << k;
  }
  EXPECT_EQ(at(s, 49), 10 * kSec);
  expect_consistent(s);
}

TEST(ArrivalSchedule, RateZeroStages) {
  EXPECT_EQ(ramping_ok(0, {{10 * kSec, 0}}).total(), 0);
  EXPECT_EQ(ramping_ok(0, {{10 * kSec, 0}}).count_until(5 * kSec), 0);

  // 10/s for 1s, drop to 0, idle 5s, jump back to 10/s for 1s.
  const ArrivalSchedule s =
      ramping_ok(10, {{kSec, 10}, {0, 0}, {5 * kSec, 0}, {0, 10}, {kSec, 10}});
  ASSERT_EQ(s.total(), 20);
  EXPECT_EQ(at(s, 9), kSec);
  EXPECT_EQ(at(s, 10), 6 * kSec + 100 * kMs);
  EXPECT_EQ(s.count_until(kSec + 1), 10);
  EXPECT_EQ(s.count_until(6 * kSec), 10);
  EXPECT_EQ(s.count_until(7 * kSec + 1), 20);
  expect_consistent(s);

  // A ramp down to 0 and back up: nothing is planned around the zero.
  const ArrivalSchedule v = ramping_ok(4, {{2 * kSec, 0}, {2 * kSec, 4}});
  ASSERT_EQ(v.total(), 8);
  EXPECT_EQ(at(v, 3), 2 * kSec);              // area 4 reached exactly at the bottom
  EXPECT_GT(at(v, 4), 2 * kSec + 700 * kMs);  // next one needs area 1 of the ramp up: sqrt(1) s
  expect_consistent(v);
}

// 1.1s × 10/s is 11 arrivals, but 1.1 is not exact in binary: the 11th must still land at 1.1s and
// not after the following 10s at rate 0.
TEST(ArrivalSchedule, WholeAreasSurviveRounding) {
  const ArrivalSchedule s =
      ramping_ok(10, {{1100 * kMs, 10}, {0, 0}, {10 * kSec, 0}, {0, 10}, {kSec, 10}});
  ASSERT_EQ(s.total(), 21);
  EXPECT_EQ(at(s, 10), 1100 * kMs);
  EXPECT_EQ(at(s, 11), 11100 * kMs + 100 * kMs);
  expect_consistent(s);

  for (double rate : {0.1, 0.3, 0.7, 1.1, 3.3, 7.7, 13.0, 33.3}) {
    // rate × 10s is a whole number of arrivals for each of these.
    const ArrivalSchedule r = ramping_ok(rate, {{10 * kSec, rate}});
    EXPECT_EQ(r.total(), std::llround(rate * 10)) << rate;
    EXPECT_EQ(at(r, r.total() - 1), 10 * kSec) << rate;
    EXPECT_EQ(constant_ok(rate, kSec, 10 * kSec).total(), std::llround(rate * 10)) << rate;
  }
}

TEST(ArrivalSchedule, ArrivalsPerStageMatchTheIntegral) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + static_cast<int>(rng() % 6);
    std::vector<Stage> stages;
    for (int i = 0; i < n; ++i) {
      const Nanos duration = static_cast<Nanos>(rng() % 20000) * kMs;  // 0 … 20s
      const double target = (rng() % 4 == 0) ? 0 : static_cast<double>(rng() % 200);
      stages.push_back({duration, target});
    }
    const double start = static_cast<double>(rng() % 50);
    const Nanos unit = (rng() % 2 == 0) ? kSec : kMinute;
    const ArrivalSchedule s = ramping_ok(start, stages, unit);

    const long double total_area = integral(start, stages, unit, 0, stages_total(stages));
    EXPECT_EQ(s.total(), static_cast<int64_t>(std::floor(total_area + 1e-6L))) << trial;

    Nanos stage_start = 0;
    for (const Stage& st : stages) {
      const Nanos end = stage_start + st.duration;
      const int64_t arrivals = s.count_until(end + 1) - s.count_until(stage_start + 1);
      const long double area = integral(start, stages, unit, stage_start, end);
      EXPECT_LE(std::fabs(static_cast<long double>(arrivals) - area), 1.0L + 1e-6L)
          << "trial " << trial << " stage at " << stage_start;
      stage_start = end;
    }
    expect_consistent(s);
  }
}

TEST(ArrivalSchedule, CountUntilAgreesWithTimeOfAtRandomTimes) {
  const ArrivalSchedule s =
      ramping_ok(0, {{30 * kSec, 200}, {60 * kSec, 200}, {0, 50}, {20 * kSec, 0}});
  std::mt19937_64 rng(11);
  for (int i = 0; i < 100000; ++i) {
    const Nanos t = static_cast<Nanos>(rng() % static_cast<uint64_t>(s.duration() + kSec));
    const int64_t c = s.count_until(t);
    ASSERT_GE(c, 0);
    ASSERT_LE(c, s.total());
    if (c > 0) {
      ASSERT_LT(*s.time_of(c - 1), t) << t;
    }
    if (c < s.total()) {
      ASSERT_GE(*s.time_of(c), t) << t;
    }
  }
}

TEST(ArrivalSchedule, MillionsOfArrivalsWithoutDrift) {
  // 0→2000/s over 1000s (1e6 arrivals) then 2000/s for 500s (another 1e6).
  const ArrivalSchedule s = ramping_ok(0, {{1000 * kSec, 2000}, {500 * kSec, 2000}});
  ASSERT_EQ(s.total(), 2000000);
  expect_consistent(s);
  // In the flat part arrival k is at exactly 1000s + (k+1-1e6)/2000 s.
  for (int64_t k = 1000000; k < 2000000; k += 9973) {
    EXPECT_EQ(at(s, k), 1000 * kSec + (k + 1 - 1000000) * 500 * kNanosPerMicro) << k;
  }
  EXPECT_EQ(at(s, 1999999), 1500 * kSec);

  // 3/s for an hour: arrival k at round(k/3 s), computed exactly with integers.
  const ArrivalSchedule thirds = constant_ok(3, kSec, 3600 * kSec);
  ASSERT_EQ(thirds.total(), 10800);
  for (int64_t k = 0; k < thirds.total(); ++k) {
    ASSERT_EQ(at(thirds, k), (k * kSec + 1) / 3) << k;
  }

  // 1,000,000/s for an hour: 3.6e9 arrivals, every one on its microsecond.
  const ArrivalSchedule fast = constant_ok(1e6, kSec, 3600 * kSec);
  ASSERT_EQ(fast.total(), 3600000000LL);
  for (int64_t k : {0LL, 1LL, 999999LL, 123456789LL, 3599999999LL}) {
    EXPECT_EQ(at(fast, k), k * kNanosPerMicro) << k;
    EXPECT_EQ(fast.count_until(k * kNanosPerMicro), k);
    EXPECT_EQ(fast.count_until(k * kNanosPerMicro + 1), k + 1);
  }
}

TEST(ArrivalSchedule, SeveralArrivalsPerNanosecond) {
  // 5e9/s: five arrivals share each nanosecond; count_until still brackets them.
  const ArrivalSchedule s = constant_ok(5e9, kSec, 200 * kNanosPerMicro);
  ASSERT_EQ(s.total(), 1000000);
  // Arrival k is at 0.2k ns, rounded: k = 0, 1, 2 at 0 ns; k = 3 … 7 at 1 ns; k = 8 at 2 ns.
  EXPECT_EQ(at(s, 2), 0);
  EXPECT_EQ(at(s, 3), 1);
  EXPECT_EQ(at(s, 7), 1);
  EXPECT_EQ(at(s, 8), 2);
  EXPECT_EQ(s.count_until(1), 3);
  EXPECT_EQ(s.count_until(2), 8);
  // The last two (199999.6 ns, 199999.8 ns) round up onto the end.
  EXPECT_EQ(s.count_until(200 * kNanosPerMicro), 999998);
  EXPECT_EQ(s.count_until(200 * kNanosPerMicro + 1), 1000000);
  expect_consistent(s);
}

TEST(ArrivalSchedule, EmptyAndZero) {
  const ArrivalSchedule empty = ramping_ok(10, {});
  EXPECT_EQ(empty.total(), 0);
  EXPECT_EQ(empty.duration(), 0);
  EXPECT_FALSE(empty.time_of(0).has_value());
  EXPECT_EQ(empty.count_until(kSec), 0);
  const ArrivalSchedule zero_length = ramping_ok(10, {{0, 10}, {0, 20}});
  EXPECT_EQ(zero_length.total(), 0);
  EXPECT_EQ(zero_length.count_until(kSec), 0);
}

TEST(ArrivalSchedule, Errors) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const Nanos max = std::numeric_limits<Nanos>::max();
  auto ramping_error = [](double start, const std::vector<Stage>& stages, Nanos unit) {
    Result<ArrivalSchedule> r = ArrivalSchedule::ramping(start, stages, unit);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().message();
  };
  auto constant_error = [](double rate, Nanos unit, Nanos duration) {
    Result<ArrivalSchedule> r = ArrivalSchedule::constant(rate, unit, duration);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().message();
  };
  EXPECT_EQ(ramping_error(1, {{kSec, 1}}, 0), "time_unit must be positive (got 0s)");
  EXPECT_EQ(ramping_error(1, {{kSec, 1}}, -kSec), "time_unit must be positive (got -1s)");
  EXPECT_EQ(ramping_error(-1, {{kSec, 1}}, kSec), "start_rate must be a number >= 0 (got -1)");
  EXPECT_EQ(ramping_error(nan, {{kSec, 1}}, kSec), "start_rate must be a number >= 0 (got nan)");
  EXPECT_EQ(ramping_error(0, {{kSec, 1}, {kSec, -2.5}}, kSec),
            "stages[1].target must be a number >= 0 (got -2.5)");
  EXPECT_EQ(ramping_error(0, {{kSec, inf}}, kSec),
            "stages[0].target must be a number >= 0 (got inf)");
  EXPECT_EQ(ramping_error(0, {{-kSec, 1}}, kSec), "stages[0].duration must not be negative");
  EXPECT_EQ(ramping_error(0, {{max, 0}, {1, 0}}, kSec),
            "stages add up to more than 2562047h47m16.854775807s");
  EXPECT_EQ(ramping_error(0, {{3600 * kSec, 1e18}}, kSec),
            "the schedule plans more than 2^62 arrivals; lower the rate or the duration");
  EXPECT_EQ(constant_error(-5, kSec, kSec), "rate must be a number >= 0 (got -5)");
  EXPECT_EQ(constant_error(5, kSec, -kSec), "duration must not be negative");
  EXPECT_EQ(constant_error(5, 0, kSec), "time_unit must be positive (got 0s)");
}

}  // namespace
}  // namespace stampede
