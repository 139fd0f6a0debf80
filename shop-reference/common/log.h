// One-line logs on stderr: "2026-11-23T10:00:00.123Z cart INFO message".
#pragma once

#include <string>
#include <string_view>

namespace shop {

// Names the service in every later line. Call once at start, before threads log.
void set_log_service(std::string name);

// Each call writes one whole line with a single write(2), so lines from threads never mix.
void log_info(std::string_view message);
void log_warn(std::string_view message);
void log_error(std::string_view message);

}  // namespace shop
