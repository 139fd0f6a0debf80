// Human formatting shared by the terminal outputs (k6's style: "1.23ms", "1.3 MB").
#pragma once

#include <cstdint>
#include <string>

namespace stampede {

// A duration given in milliseconds: "812ns", "123.45µs", "1.23ms", "1.5s", "2m3s".
std::string format_ms(double ms);
// A byte count: "512 B", "1.3 kB", "4.2 MB" (SI units, as k6).
std::string format_bytes(double bytes);
// A number with up to `decimals` decimals and no trailing zeros ("12", "12.5").
std::string format_number(double value, int decimals = 2);
// A ratio as a percentage: "99.50%".
std::string format_percent(double ratio);

}  // namespace stampede
