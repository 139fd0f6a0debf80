#include "engine/output/terminal_progress.h"

#include <cstdio>

#include "engine/output/format.h"

namespace stampede {
namespace {

std::string clock_text(Nanos ns) {
  int64_t s = ns / kNanosPerSecond;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02lld:%02lld", static_cast<long long>(s / 60),
                static_cast<long long>(s % 60));
  return buf;
}

}  // namespace

void TerminalProgress::update(const ProgressInfo& info) {
  if (quiet_) return;
  std::string line = clock_text(info.elapsed) + "/" + clock_text(info.planned) + "  vus " +
                     std::to_string(info.vus) + "/" + std::to_string(info.vus_max) + "  " +
                     format_number(info.requests_per_second, 0) + " req/s" + "  reqs " +
                     std::to_string(info.requests) + "  errors " + std::to_string(info.failed) +
                     "  p95 " + format_ms(info.p95_ms) + "  p99 " + format_ms(info.p99_ms) +
                     (info.stopping ? "  (stopping)" : "");
  if (tty_) {
    std::fprintf(stderr, "\r\x1b[2K%s%s%s", color_ ? "\x1b[36m" : "", line.c_str(),
                 color_ ? "\x1b[0m" : "");
    line_open_ = true;
  } else if (info.elapsed - last_plain_ >= 10 * kNanosPerSecond) {
    last_plain_ = info.elapsed;
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

void TerminalProgress::message(const std::string& text) {
  if (line_open_) {
    std::fputs("\r\x1b[2K", stderr);
    line_open_ = false;
  }
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

void TerminalProgress::finish() {
  if (line_open_) {
    std::fputs("\n", stderr);
    line_open_ = false;
  }
  std::fflush(stderr);
}

}  // namespace stampede
