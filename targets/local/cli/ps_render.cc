#include "targets/local/cli/ps_render.h"

#include <cstdio>
#include <vector>

namespace stampede::local {
namespace {

using nlohmann::json;

// Left-aligned columns sized to their widest cell.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string cpu(const json& millicores) {
  if (!millicores.is_number() || millicores.get<double>() < 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.0fm", millicores.get<double>());
  return buf;
}

}  // namespace

std::string render_ps(const json& status, const json& deployments, const json& pods) {
  std::vector<std::vector<std::string>> d_rows = {
      {"DEPLOYMENT", "READY", "UP-TO-DATE", "RESTARTS", "CPU", "HPA CUR/DESIRED", "SERVICE"}};
  for (const auto& d : deployments) {
    int restarts = 0;
    double cpu_sum = 0;
    bool cpu_known = false;
    for (const auto& p : pods) {
      if (p["deployment"] != d["name"]) continue;
      restarts += p["restarts"].get<int>();
      if (p["cpu_millicores"].get<double>() >= 0) {
        cpu_sum += p["cpu_millicores"].get<double>();
        cpu_known = true;
      }
    }
    std::string hpa = "-";
    if (d["hpa"].is_object()) {
      hpa = std::to_string(d["hpa"]["current_replicas"].get<int>()) + "/" +
            std::to_string(d["hpa"]["desired_replicas"].get<int>());
      double u = d["hpa"]["current_utilization"].get<double>();
      if (u >= 0)
        hpa += " (" + std::to_string(static_cast<int>(u)) + "% of " +
               std::to_string(d["hpa"]["target_cpu_utilization"].get<int>()) + "%)";
    }
    std::string service = d["service"].is_object()
                              ? "127.0.0.1:" + std::to_string(d["service"]["port"].get<int>())
                              : "-";
    d_rows.push_back(
        {d["name"].get<std::string>(),
         std::to_string(d["ready"].get<int>()) + "/" + std::to_string(d["replicas"].get<int>()),
         std::to_string(d["updated"].get<int>()), std::to_string(restarts),
         cpu_known ? cpu(cpu_sum) : "-", hpa, service});
  }
  std::vector<std::vector<std::string>> p_rows = {
      {"POD", "STATE", "READY", "RESTARTS", "CPU", "PID", "PORTS"}};
  std::string logs;
  for (const auto& p : pods) {
    std::string ports;
    for (const auto& [name, port] : p["ports"].items()) {
      ports += (ports.empty() ? "" : " ") + name + "=" + std::to_string(port.get<int>());
    }
    std::string state = p["state"].get<std::string>();
    p_rows.push_back({p["name"].get<std::string>(), state, p["ready"].get<bool>() ? "yes" : "no",
                      std::to_string(p["restarts"].get<int>()), cpu(p["cpu_millicores"]),
                      p["pid"].get<int>() > 0 ? std::to_string(p["pid"].get<int>()) : "-", ports});
    if ((state == "crash-loop-backoff" || state == "exited") && !p["last_log_lines"].empty()) {
      logs += "\nlast log lines of " + p["name"].get<std::string>();
      if (p["last_exit"].is_object()) {
        const json& e = p["last_exit"];
        logs +=
            " (" +
            (e["signal"].get<int>() != 0 ? "signal " + std::to_string(e["signal"].get<int>())
                                         : "exit code " + std::to_string(e["code"].get<int>())) +
            ")";
      }
      logs += ":\n";
      for (const auto& line : p["last_log_lines"]) logs += "  " + line.get<std::string>() + "\n";
    }
  }
  std::string out = table(d_rows) + "\n" + table(p_rows) + logs;
  if (status.is_object() && status.contains("cpu_limits")) {
    out += "\nCPU limits: " + status["cpu_limits"].get<std::string>() + "\n";
  }
  return out;
}

}  // namespace stampede::local
