#include "engine/exec/schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "engine/core/duration.h"

namespace stampede {
namespace {

constexpr Nanos kMaxNanos = std::numeric_limits<Nanos>::max();
constexpr long double kMaxArrivals = 4611686018427387904.0L;  // 2^62

// Areas are sums of products of user numbers, so a whole number of arrivals can come out as
// 49.99999999999999999 or 50.00000000000000001. Treat anything this close to a whole number as
// that number: long double carries ~19 digits, the slack is ~1e-15 relative, and no real rate
// produces a fractional area that close to an integer by design.
long double slack(long double area) {
  return 1e-9L + area * 1e-15L;
}

std::string number_text(double v) {
  std::string s = std::to_string(v);
  // std::to_string prints 6 decimals; drop the useless zeros ("5.000000" -> "5").
  if (s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

bool valid_rate(double v) {
  return std::isfinite(v) && v >= 0;
}

}  // namespace

double ramp_value_at(double start, const std::vector<Stage>& stages, Nanos t) {
  if (t < 0) return start;
  double from = start;
  Nanos stage_start = 0;
  for (const Stage& stage : stages) {
    if (stage.duration > 0) {
      // t - stage_start cannot overflow: both are >= 0.
      const Nanos into = t - stage_start;
      if (into < stage.duration) {
        const double fraction = static_cast<double>(into) / static_cast<double>(stage.duration);
        return from + (stage.target - from) * fraction;
      }
      if (stage.duration > kMaxNanos - stage_start) return stage.target;
      stage_start += stage.duration;
    }
    from = stage.target;
  }
  return from;
}

Nanos stages_total(const std::vector<Stage>& stages) {
  Nanos total = 0;
  for (const Stage& stage : stages) {
    if (stage.duration <= 0) continue;
    if (stage.duration > kMaxNanos - total) return kMaxNanos;
    total += stage.duration;
  }
  return total;
}

Result<ArrivalSchedule> ArrivalSchedule::ramping(double start_rate,
                                                 const std::vector<Stage>& stages,
                                                 Nanos time_unit) {
  if (!valid_rate(start_rate)) {
    return Error("start_rate must be a number >= 0 (got " + number_text(start_rate) + ")");
  }
  return build(start_rate, stages, time_unit, /*constant=*/false);
}

Result<ArrivalSchedule> ArrivalSchedule::constant(double rate, Nanos time_unit, Nanos duration) {
  if (!valid_rate(rate)) {
    return Error("rate must be a number >= 0 (got " + number_text(rate) + ")");
  }
  if (duration < 0) return Error("duration must not be negative");
  return build(rate, {Stage{duration, rate}}, time_unit, /*constant=*/true);
}

Result<ArrivalSchedule> ArrivalSchedule::build(double start_rate, const std::vector<Stage>& stages,
                                               Nanos time_unit, bool constant) {
  if (time_unit <= 0) {
    return Error("time_unit must be positive (got " + format_duration(time_unit) + ")");
  }
  ArrivalSchedule s;
  s.first_area_ = constant ? 0 : 1;
  s.pieces_.reserve(stages.size());
  long double area = 0;
  long double from = start_rate;
  Nanos start = 0;
  for (size_t i = 0; i < stages.size(); ++i) {
    const Stage& stage = stages[i];
    const std::string where = "stages[" + std::to_string(i) + "]";
    if (stage.duration < 0) return Error(where + ".duration must not be negative");
    if (!valid_rate(stage.target)) {
      return Error(where + ".target must be a number >= 0 (got " + number_text(stage.target) + ")");
    }
    if (stage.duration > kMaxNanos - start) {
      return Error("stages add up to more than " + format_duration(kMaxNanos));
    }
    Piece piece;
    piece.start = start;
    piece.length = stage.duration;
    piece.from = from;
    piece.to = stage.target;
    piece.units = static_cast<long double>(stage.duration) / static_cast<long double>(time_unit);
    piece.area_before = area;
    area += piece.units * (piece.from + piece.to) / 2;
    piece.area_end = area;
    if (piece.area_end > piece.area_before) s.last_arrival_bound_ = start + stage.duration;
    s.pieces_.push_back(piece);
    start += stage.duration;
    from = stage.target;
  }
  if (area > kMaxArrivals) {
    return Error("the schedule plans more than 2^62 arrivals; lower the rate or the duration");
  }
  s.duration_ = start;
  // ramping: arrival k at area k+1 <= total area. constant: arrival k at area k < total area.
  const long double whole =
      constant ? std::ceil(area - slack(area)) : std::floor(area + slack(area));
  s.total_ = whole > 0 ? static_cast<int64_t>(whole) : 0;
  return s;
}

Nanos ArrivalSchedule::offset_in_piece(const Piece& piece, long double area) const {
  if (area <= 0 || piece.units <= 0) return 0;
  // Inside the piece, with u in [0, 1] the fraction of the piece elapsed:
  //   area(u) = units * (from*u + (to-from)*u^2/2)
  // Solve area(u) = area in the form u = 2c / (from + sqrt(from^2 + 2(to-from)c)), c = area/units.
  // Unlike the textbook root (k6's), it does not cancel catastrophically when from ≈ to, and it
  // covers the flat case (u = c/from) and the ramp from 0 (u = sqrt(2c/to)) without branches.
  const long double c = area / piece.units;
  long double disc = piece.from * piece.from + 2 * (piece.to - piece.from) * c;
  if (disc < 0) disc = 0;  // rounding just past the end of a ramp down to 0
  const long double denominator = piece.from + std::sqrt(disc);
  long double u = denominator > 0 ? 2 * c / denominator : 1;
  u = std::clamp(u, 0.0L, 1.0L);
  const long double offset = std::round(u * static_cast<long double>(piece.length));
  return std::min(static_cast<Nanos>(offset), piece.length);
}

std::optional<Nanos> ArrivalSchedule::time_of(int64_t k) const {
  if (k < 0 || k >= total_) return std::nullopt;
  const long double area = static_cast<long double>(k) + static_cast<long double>(first_area_);
  // The first piece whose cumulative area reaches `area`: the earliest time the integral does.
  // With the same slack as build(): an area of 10.999999999999999999 must still place arrival 11
  // at the end of its stage, not after a following stretch of rate 0.
  const long double reach = area - slack(area);
  const auto it =
      std::lower_bound(pieces_.begin(), pieces_.end(), reach,
                       [](const Piece& piece, long double a) { return piece.area_end < a; });
  if (it == pieces_.end()) return last_arrival_bound_;  // unreachable; kept as a guard
  return it->start + offset_in_piece(*it, area - it->area_before);
}

long double ArrivalSchedule::area_at(Nanos t) const {
  if (pieces_.empty()) return 0;
  if (t >= duration_) return pieces_.back().area_end;
  // The last piece starting at or before t; zero-length pieces at t are skipped over this way.
  const auto it =
      std::upper_bound(pieces_.begin(), pieces_.end(), t,
                       [](Nanos time, const Piece& piece) { return time < piece.start; });
  const Piece& piece = *std::prev(it);
  const long double u =
      static_cast<long double>(t - piece.start) / static_cast<long double>(piece.length);
  return piece.area_before + piece.units * (piece.from * u + (piece.to - piece.from) * u * u / 2);
}

int64_t ArrivalSchedule::first_not_before(int64_t lo, int64_t hi, Nanos t) const {
  // Smallest k in [lo, hi] with k == total_ or time_of(k) >= t; hi is known to qualify.
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (mid < total_ && before(mid, t)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

int64_t ArrivalSchedule::count_until(Nanos t) const {
  if (total_ == 0 || t <= 0) return 0;
  // Estimate from the integral, then settle it against time_of() itself so that the two
  // functions agree exactly despite rounding to whole nanoseconds.
  const long double estimate = std::ceil(area_at(t) - static_cast<long double>(first_area_));
  const int64_t c =
      static_cast<int64_t>(std::clamp(estimate, 0.0L, static_cast<long double>(total_)));
  if (c < total_ && before(c, t)) {
    // Too low: gallop up until an arrival at or after t, then bisect.
    int64_t lo = c + 1;
    int64_t step = 1;
    int64_t hi = std::min(total_, c + step);
    while (hi < total_ && before(hi, t)) {
      lo = hi + 1;
      step *= 2;
      hi = step > total_ - c ? total_ : c + step;
    }
    return first_not_before(lo, hi, t);
  }
  if (c > 0 && !before(c - 1, t)) {
    // Too high: gallop down until an arrival before t, then bisect.
    int64_t hi = c - 1;
    int64_t step = 1;
    int64_t lo = c - 1 - step < 0 ? 0 : c - 1 - step;
    while (lo > 0 && !before(lo, t)) {
      hi = lo;
      step *= 2;
      lo = step > c - 1 ? 0 : c - 1 - step;
    }
    return first_not_before(lo, hi, t);
  }
  return c;
}

}  // namespace stampede
