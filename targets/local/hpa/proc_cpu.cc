#include "targets/local/hpa/proc_cpu.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/read_file.h"

namespace stampede::local {
namespace {

// utime and stime are fields 14 and 15 of the stat line; counted after the command name's
// closing parenthesis (field 2) they are the 12th and 13th.
constexpr int kUtimeAfterComm = 12;

}  // namespace

Result<double> parse_proc_stat_cpu_seconds(const std::string& text, long ticks_per_second,
                                           const std::string& source) {
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return Error(source + ": no command name in the stat line");
  std::istringstream fields(text.substr(close + 1));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 1; i <= kUtimeAfterComm + 1; ++i) {
    if (!(fields >> field)) return Error(source + ": stat line too short");
    if (i < kUtimeAfterComm) continue;
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(field.c_str(), &end, 10);
    if (errno != 0 || end == field.c_str() || *end != '\0') {
      return Error(source + ": malformed CPU time '" + field + "'");
    }
    (i == kUtimeAfterComm ? utime : stime) = v;
  }
  if (ticks_per_second <= 0) return Error(source + ": unknown clock tick rate");
  return static_cast<double>(utime + stime) / static_cast<double>(ticks_per_second);
}

Result<double> read_process_cpu_seconds(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  Result<std::string> text = read_text_file(path);
  if (!text.ok()) return text.error();
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  return parse_proc_stat_cpu_seconds(text.value(), ticks, path);
}

Result<double> read_cpu_seconds(const std::vector<pid_t>& pids) {
  double total = 0;
  for (pid_t pid : pids) {
    Result<double> one = read_process_cpu_seconds(pid);
    if (!one.ok()) return one.error();
    total += one.value();
  }
  return total;
}

}  // namespace stampede::local
