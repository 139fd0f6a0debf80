// Duration strings as k6 scripts write them ("30s", "1m30s", "500ms", "1.5s", "2h").
//
// The grammar is Go's time.ParseDuration (what k6 uses), plus k6's "d" for days and a bare number:
//   duration := "+"? ( number | ( number unit )+ )
//   number   := digits ( "." digits? )? | "." digits
//   unit     := "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h" | "d"
// Components add up ("1h2m3.5s"), fractions are exact to the nanosecond (extra digits truncate),
// a bare number is in kBareNumberUnit (seconds). Negative values are rejected.
//
// format_duration prints Go's time.Duration.String() form, which k6 also prints:
//   "0s", "250ns", "100µs", "1.5ms", "1.5s", "1m30s", "2h0m0s", "1h2m3.5s", "-1.5s".
// Under a second the largest of ns/µs/ms that keeps a non-zero integer part is used, with a
// decimal fraction; from a second up it is [Nh][Nm]N[.frac]s, and once a larger unit appears all
// smaller ones are printed (so "2h0m0s", never "2h"). parse_duration(format_duration(d)) == d for
// every d >= 0.
//
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "engine/core/clock.h"

namespace stampede {

// Unit of a duration string that is only a number ("10" = 10 s, "0.5" = 500 ms).
// Note: k6's ParseExtendedDuration reads a bare number as milliseconds; stampede uses seconds.
constexpr Nanos kBareNumberUnit = kNanosPerSecond;

// Parses a duration string into nanoseconds. Errors (message names the input):
// empty, malformed or unknown unit ("malformed duration '3x' (expected e.g. 30s, 1m30s, 500ms)"),
// negative, or larger than the int64 nanosecond range (about 292 years).
Result<Nanos> parse_duration(std::string_view text);

// Formats nanoseconds in Go's time.Duration.String() style (see the file comment). Never fails.
std::string format_duration(Nanos d);

}  // namespace stampede
