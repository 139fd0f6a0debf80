// Pieces of the Prometheus text exposition format 0.0.4: number formatting, escaping and name
// validation. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace stampede::prometheus {

// The Content-Type of render()'s output.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// A sample value: integers without exponent or fraction ("42", "-3"), other finite values in
// the shortest form that reads back exactly ("0.25", "1e-07", "1e+21"), and "+Inf", "-Inf",
// "NaN".
std::string format_value(double value);

// Escapes a label value for use inside double quotes: backslash, double quote and newline.
// Invalid UTF-8 bytes become U+FFFD, since Prometheus rejects them.
std::string escape_label_value(std::string_view value);
// Escapes HELP text: backslash and newline; invalid UTF-8 as above.
std::string escape_help(std::string_view help);

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]* and not starting with "__" (reserved for Prometheus itself).
bool valid_label_name(std::string_view name);

}  // namespace stampede::prometheus
