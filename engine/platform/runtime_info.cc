#include "engine/platform/runtime_info.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace stampede {

std::string runtime_json_path(const std::string& state_dir) {
  return (state_dir.empty() ? std::string(".") : state_dir) + "/runtime.json";
}

Result<RuntimeInfo> read_runtime_info(const std::string& state_dir) {
  std::string path = runtime_json_path(state_dir);
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) {
      return Error(path +
                   ": not found — no local runtime for this state dir (start one with "
                   "`stampede up`, or pass --state-dir)");
    }
    return Error(path + ": cannot read: " + std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Error(path + ": not a JSON object");
  RuntimeInfo info;
  auto str = [&](const char* key) -> std::string {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  info.api = str("api");
  info.token = str("token");
  info.state_dir = str("state_dir");
  info.values = str("values");
  if (auto it = j.find("pid"); it != j.end() && it->is_number_integer()) {
    info.pid = it->get<int64_t>();
  }
  if (info.api.empty()) return Error(path + ": no \"api\" address");
  if (info.token.empty()) return Error(path + ": no \"token\"");
  while (!info.api.empty() && info.api.back() == '/') info.api.pop_back();
  return info;
}

}  // namespace stampede
