#include "engine/output/format.h"

#include <cmath>
#include <cstdio>

namespace stampede {

std::string format_number(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, value);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string format_ms(double ms) {
  if (ms <= 0) return "0s";
  if (ms < 0.001) return format_number(ms * 1e6, 0) + "ns";
  if (ms < 1) return format_number(ms * 1e3, 2) + "µs";
  if (ms < 1000) return format_number(ms, 2) + "ms";
  double s = ms / 1000;
  if (s < 60) return format_number(s, 2) + "s";
  int64_t whole = static_cast<int64_t>(s);
  double rest = s - static_cast<double>(whole / 60 * 60);
  std::string out = std::to_string(whole / 60) + "m" + format_number(rest, 1) + "s";
  return out;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000 && u < 4) {
    bytes /= 1000;
    ++u;
  }
  return format_number(bytes, u == 0 ? 0 : 1) + " " + units[u];
}

std::string format_percent(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f%%", ratio * 100);
  return buf;
}

}  // namespace stampede
