// Small text helpers shared by the report renderers: XML/HTML escaping and number formatting.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace stampede {

// Escapes & < > " ' for XML and HTML text and attributes; drops characters XML 1.0 forbids
// (control characters other than tab, newline and carriage return).
std::string xml_escape(std::string_view text);
// A number with up to `decimals` decimals and no trailing zeros ("12", "12.5", "0.003").
std::string fixed(double value, int decimals = 2);
// A ratio as a percentage with `decimals` decimals: "99.50%".
std::string percent(double ratio, int decimals = 2);
// Milliseconds for people: "0.85 ms", "12.3 ms", "1.52 s".
std::string millis(double ms);

}  // namespace stampede
