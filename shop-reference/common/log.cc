#include "shop-reference/common/log.h"

#include <unistd.h>

#include <chrono>
#include <ctime>

namespace shop {
namespace {

std::string& service_name() {
  static std::string name = "shop";
  return name;
}

void write_line(std::string_view level, std::string_view message) {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[40];
  std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string line(stamp, n);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms % 1000));
  line += frac;
  line += ' ';
  line += service_name();
  line += ' ';
  line += level;
  line += ' ';
  line += message;
  line += '\n';
  // A short write to stderr is not worth retrying for a log line.
  [[maybe_unused]] ssize_t w = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace

void set_log_service(std::string name) {
  service_name() = std::move(name);
}
void log_info(std::string_view message) {
  write_line("INFO", message);
}
void log_warn(std::string_view message) {
  write_line("WARN", message);
}
void log_error(std::string_view message) {
  write_line("ERROR", message);
}

}  // namespace shop
