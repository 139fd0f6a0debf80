#include "tests/runtime/local_shop.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace runtime_test {

namespace engine = stampede::engine_test;
namespace local = stampede::local;

namespace {

const std::vector<std::string> kChartServices = {
    "frontend", "productcatalog", "currency",       "cart", "payment", "shipping",
    "email",    "checkout",       "recommendation", "ad",   "orders"};

}  // namespace

std::string only_services(const std::vector<std::string>& services) {
  std::string yaml = "services:\n";
  for (const std::string& s : kChartServices) {
    bool on = std::find(services.begin(), services.end(), s) != services.end();
    yaml += "  " + s + ":\n    enabled: " + (on ? "true" : "false") + "\n";
  }
  return yaml;
}

std::unique_ptr<LocalShop> LocalShop::up(const UpOptions& options) {
  std::unique_ptr<LocalShop> shop(new LocalShop());
  shop->state_dir_ = (shop->dir_.path() / "state").string();
  std::vector<std::string> args = {"up",          "--detach",
                                   "--timeout",   std::to_string(options.ready_timeout_seconds),
                                   "--state-dir", shop->state_dir_};
  if (!options.enabled.empty()) {
    args.push_back("--values");
    args.push_back(shop->dir_.write("enabled.yaml", only_services(options.enabled)));
  }
  if (!options.values_yaml.empty()) {
    args.push_back("--values");
    args.push_back(shop->dir_.write("values.yaml", options.values_yaml));
  }
  for (const std::string& file : options.values_files) {
    args.push_back("--values");
    args.push_back(file);
  }
  for (const std::string& s : options.sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  shop->up_result_ = engine::run_stampede(args, shop->dir_,
                                          std::chrono::seconds(options.ready_timeout_seconds + 30));
  auto info = local::read_runtime_file(shop->state_dir_);
  if (info.ok()) shop->info_ = info.value();
  shop->url_ = shop->up_result_.out.substr(0, shop->up_result_.out.find('\n'));
  return shop;
}

engine::RunResult LocalShop::down() {
  down_ = true;
  return engine::run_stampede({"down", "--state-dir", state_dir_, "--timeout", "60"}, dir_,
                              std::chrono::seconds(90));
}

LocalShop::~LocalShop() {
  if (info_.pid <= 0) return;
  std::vector<pid_t> pids;
  json all = get("/v1/pods");
  if (all.is_array()) {
    for (const auto& p : all) pids.push_back(p["pid"].get<int>());
  }
  if (!down_) down();
  // Whatever survived `down` (it should be nothing) goes now.
  if (local::process_alive(info_.pid)) ::kill(info_.pid, SIGKILL);
  for (pid_t pid : pids) {
    if (pid > 0 && local::process_alive(pid)) ::kill(-pid, SIGKILL);
  }
}

local::ApiAnswer LocalShop::call(const std::string& method, const std::string& path,
                                 const std::string& body) {
  auto r = local::api_call(info_, method, path, body, std::chrono::seconds(20));
  return r.ok() ? r.value() : local::ApiAnswer{};
}

json LocalShop::get(const std::string& path) {
  local::ApiAnswer a = call("GET", path);
  return a.status == 200 ? a.body : json(nullptr);
}

json LocalShop::pods(const std::string& deployment) {
  json p = get("/v1/pods?deployment=" + deployment);
  return p.is_array() ? p : json::array();
}

json LocalShop::deployment(const std::string& name) {
  return get("/v1/deployments/" + name);
}

uint16_t LocalShop::service_port(const std::string& name) {
  json d = deployment(name);
  return d.is_object() && d["service"].is_object() ? d["service"]["port"].get<uint16_t>() : 0;
}

json LocalShop::events(uint64_t since) {
  json e = get("/v1/events?since=" + std::to_string(since));
  return e.is_object() ? e["events"] : json::array();
}

json LocalShop::find_event(const std::string& kind, const std::string& pod, uint64_t since) {
  for (const auto& e : events(since)) {
    if (e["kind"] == kind && (pod.empty() || e["pod"] == pod)) return e;
  }
  return nullptr;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

int64_t mono_now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return -1;
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace runtime_test
