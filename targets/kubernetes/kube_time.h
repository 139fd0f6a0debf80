// Kubernetes' time formats: metav1.Time (RFC 3339, whole seconds, UTC: "2026-12-07T14:03:07Z")
// and metav1.MicroTime (microseconds: "2026-12-07T14:03:07.123456Z"). Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace stampede::kube {

// Unix milliseconds -> "YYYY-MM-DDTHH:MM:SSZ" (truncated to the second, as the API stores Time).
std::string format_time(int64_t unix_ms);
// Unix microseconds -> "YYYY-MM-DDTHH:MM:SS.ffffffZ".
std::string format_micro_time(int64_t unix_us);
// Any RFC 3339 date-time ("Z" or "+hh:mm", optional fraction) -> Unix microseconds.
// Errors quote the text.
Result<int64_t> parse_time_us(std::string_view text);

}  // namespace stampede::kube
