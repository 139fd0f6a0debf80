#include "targets/local/cli/runtime_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace stampede::local {

uint16_t RuntimeInfo::api_port() const {
  size_t colon = api.rfind(':');
  if (colon == std::string::npos) return 0;
  long port = std::strtol(api.c_str() + colon + 1, nullptr, 10);
  return port > 0 && port < 65536 ? static_cast<uint16_t>(port) : 0;
}

std::string runtime_file_path(const std::string& state_dir) {
  return state_dir + "/runtime.json";
}

std::string absolute_state_dir(const std::string& state_dir) {
  std::filesystem::path p = state_dir.empty() ? ".stampede" : state_dir;
  std::error_code ec;
  return std::filesystem::absolute(p, ec).lexically_normal().string();
}

Status write_runtime_file(const RuntimeInfo& info) {
  nlohmann::json j = {{"pid", static_cast<int>(info.pid)},
                      {"api", info.api},
                      {"token", info.token},
                      {"state_dir", info.state_dir},
                      {"values", info.values},
                      {"started_unix_ms", info.started_unix_ms}};
  return write_private_file(runtime_file_path(info.state_dir), j.dump() + "\n");
}

Status write_private_file(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error(tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Error(path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<RuntimeInfo> read_runtime_file(const std::string& state_dir) {
  std::string path = runtime_file_path(state_dir);
  std::ifstream in(path);
  if (!in) return Error("no stampede up running in " + state_dir + " (no runtime.json)");
  std::stringstream text;
  text << in.rdbuf();
  try {
    nlohmann::json j = nlohmann::json::parse(text.str());
    RuntimeInfo info;
    info.pid = j.at("pid").get<int>();
    info.api = j.at("api").get<std::string>();
    info.token = j.at("token").get<std::string>();
    info.state_dir = j.value("state_dir", state_dir);
    info.values = j.value("values", "");
    info.started_unix_ms = j.value("started_unix_ms", int64_t{0});
    if (info.api_port() == 0) return Error(path + ": api: malformed address '" + info.api + "'");
    return info;
  } catch (const nlohmann::json::exception& e) {
    return Error(path + ": malformed: " + e.what());
  }
}

bool process_alive(pid_t pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return false;
  // A zombie (exited, not reaped yet, e.g. under an init that does not reap) is gone.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  size_t paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] != 'Z';
}

}  // namespace stampede::local
