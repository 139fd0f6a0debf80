#include "tests/shop/shop_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

extern char** environ;

namespace shop_test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool reap(pid_t pid, std::chrono::milliseconds limit, int* status_out) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (status_out) *status_out = status;
      return true;
    }
    if (r < 0) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

// Who needs whom: the *_SERVICE_ADDR variables each service is given.
const std::map<std::string, std::vector<std::pair<std::string, std::string>>>& wiring() {
  static const std::map<std::string, std::vector<std::pair<std::string, std::string>>> w = {
      {"recommendation", {{"PRODUCT_CATALOG_SERVICE_ADDR", "productcatalog"}}},
      {"orders", {{"PAYMENT_SERVICE_ADDR", "payment"}, {"SHIPPING_SERVICE_ADDR", "shipping"}}},
      {"checkout",
       {{"PRODUCT_CATALOG_SERVICE_ADDR", "productcatalog"},
        {"CURRENCY_SERVICE_ADDR", "currency"},
        {"CART_SERVICE_ADDR", "cart"},
        {"SHIPPING_SERVICE_ADDR", "shipping"},
        {"PAYMENT_SERVICE_ADDR", "payment"},
        {"EMAIL_SERVICE_ADDR", "email"},
        {"ORDER_SERVICE_ADDR", "orders"}}},
      {"frontend",
       {{"PRODUCT_CATALOG_SERVICE_ADDR", "productcatalog"},
        {"CURRENCY_SERVICE_ADDR", "currency"},
        {"CART_SERVICE_ADDR", "cart"},
        {"RECOMMENDATION_SERVICE_ADDR", "recommendation"},
        {"SHIPPING_SERVICE_ADDR", "shipping"},
        {"CHECKOUT_SERVICE_ADDR", "checkout"},
        {"AD_SERVICE_ADDR", "ad"},
        {"ORDER_SERVICE_ADDR", "orders"}}},
  };
  return w;
}

void set_var(std::vector<std::string>& env, const std::string& name, const std::string& value) {
  for (auto& e : env) {
    if (e.compare(0, name.size() + 1, name + "=") == 0) {
      e = name + "=" + value;
      return;
    }
  }
  env.push_back(name + "=" + value);
}

}  // namespace

const std::vector<std::string>& ShopCluster::services() {
  static const std::vector<std::string> s = {
      "productcatalog", "currency", "cart",     "payment", "shipping", "email", "ad",
      "recommendation", "orders",   "checkout", "frontend"};
  return s;
}

std::unique_ptr<ShopCluster> ShopCluster::start(const ClusterOptions& options, std::string& error) {
  std::unique_ptr<ShopCluster> c(new ShopCluster());
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp ? tmp : "/tmp") + "/shop-e2e-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {
    error = "mkdtemp failed";
    return nullptr;
  }
  c->dir_ = templ;

  if (options.redis) {
    for (int attempt = 0; attempt < 5 && c->redis_pid_ < 0; ++attempt) {
      uint16_t port = free_port();
      pid_t pid = spawn({"redis-server", "--port", std::to_string(port), "--bind", "127.0.0.1",
                         "--save", "", "--appendonly", "no"},
                        {"PATH=/usr/local/bin:/usr/bin:/bin"}, c->dir_ / "redis.log");
      if (pid < 0) break;
      bool up = eventually(
          [&] {
            return read_file(c->dir_ / "redis.log").find("Ready to accept") != std::string::npos;
          },
          5s);
      if (up) {
        c->redis_pid_ = pid;
        c->redis_port_ = port;
      } else {
        ::kill(pid, SIGKILL);
        reap(pid, 2s, nullptr);
      }
    }
    if (c->redis_pid_ < 0) {
      error = "redis-server did not start: " + read_file(c->dir_ / "redis.log");
      return nullptr;
    }
  }

  for (const auto& name : services()) {
    std::vector<std::string> env = {
        "PATH=/usr/local/bin:/usr/bin:/bin",
        "PORT=0",
        "LISTEN_ADDR=127.0.0.1",
        "METRICS_PORT=0",
        "ADMIN_PORT=0",
        "ADMIN_TOKEN=" + c->token_,
        "PORT_FILE=" + (c->dir_ / (name + ".port")).string(),
        "SHOP_DATA_DIR=" + c->dir_.string(),
    };
    if (auto w = wiring().find(name); w != wiring().end()) {
      for (const auto& [var, dep] : w->second) set_var(env, var, c->address(dep));
    }
    if (name == "cart" && options.redis) {
      set_var(env, "REDIS_ADDR", "127.0.0.1:" + std::to_string(c->redis_port_));
    }
    for (const char* key : {"*", name.c_str()}) {
      if (auto extra = options.env.find(key); extra != options.env.end()) {
        for (const auto& [var, value] : extra->second) set_var(env, var, value);
      }
    }
    if (!c->launch(name, env, error)) return nullptr;
  }
  return c;
}

bool ShopCluster::launch(const std::string& name, std::vector<std::string> env,
                         std::string& error) {
  fs::path port_file = dir_ / (name + ".port");
  fs::remove(port_file);
  // Sanitizer settings reach the services, so their reports carry stacks and fail the same way.
  for (const char* var : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* value = std::getenv(var)) env.push_back(std::string(var) + "=" + value);
  }
  pid_t pid = spawn({SHOP_BINARY, name}, env, dir_ / (name + ".log"));
  if (pid < 0) {
    error = "cannot spawn " + std::string(SHOP_BINARY);
    return false;
  }
  ServiceProcess p;
  p.pid = pid;
  p.env = env;
  auto until = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < until) {
    if (fs::exists(port_file)) {
      auto j = nlohmann::json::parse(read_file(port_file), nullptr, false);
      if (!j.is_discarded()) {
        p.port = j.value("port", 0);
        p.metrics_port = j.value("metrics_port", 0);
        p.admin_port = j.value("admin_port", 0);
        procs_[name] = p;
        return true;
      }
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      error = name + " exited during start:\n" + read_file(dir_ / (name + ".log"));
      return false;
    }
    std::this_thread::sleep_for(20ms);
  }
  ::kill(pid, SIGKILL);
  reap(pid, 2s, nullptr);
  error = name + " did not write its port file in time:\n" + read_file(dir_ / (name + ".log"));
  return false;
}

ShopCluster::~ShopCluster() {
  stop_all();
  std::error_code ec;
  if (std::getenv("SHOP_E2E_KEEP") == nullptr) fs::remove_all(dir_, ec);
}

void ShopCluster::stop_all() {
  // The front first, so nothing calls a service that is already gone.
  for (auto it = services().rbegin(); it != services().rend(); ++it) {
    auto p = procs_.find(*it);
    if (p == procs_.end() || p->second.pid < 0) continue;
    ::kill(p->second.pid, SIGTERM);
  }
  for (auto& [name, p] : procs_) {
    if (p.pid < 0) continue;
    if (!reap(p.pid, 15s, nullptr)) {
      ::kill(p.pid, SIGKILL);
      reap(p.pid, 5s, nullptr);
    }
    p.pid = -1;
  }
  if (redis_pid_ > 0) {
    ::kill(redis_pid_, SIGKILL);
    reap(redis_pid_, 5s, nullptr);
    redis_pid_ = -1;
  }
}

std::string ShopCluster::frontend_url() const {
  return "http://127.0.0.1:" + std::to_string(procs_.at("frontend").port);
}

std::string ShopCluster::address(const std::string& name) const {
  return "127.0.0.1:" + std::to_string(procs_.at(name).port);
}

int ShopCluster::set_faults(const std::string& name, const std::string& json) {
  return http_call(procs_.at(name).admin_port, "PUT", "/admin/faults", json,
                   {{"Authorization", "Bearer " + token_}})
      .status;
}

int ShopCluster::clear_faults(const std::string& name) {
  return http_call(procs_.at(name).admin_port, "DELETE", "/admin/faults", "",
                   {{"Authorization", "Bearer " + token_}})
      .status;
}

std::string ShopCluster::metrics(const std::string& name) const {
  auto r = http_call(procs_.at(name).metrics_port, "GET", "/metrics");
  return r.status == 200 ? r.body : "";
}

void ShopCluster::signal(const std::string& name, int sig) {
  pid_t pid = procs_.at(name).pid;
  if (pid > 0) ::kill(pid, sig);
}

int ShopCluster::wait_exit(const std::string& name, std::chrono::milliseconds timeout) {
  auto& p = procs_.at(name);
  if (p.pid < 0) return -1;
  int status = 0;
  if (!reap(p.pid, timeout, &status)) return -1;
  p.pid = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

bool ShopCluster::restart(const std::string& name, std::string& error, bool same_port) {
  ServiceProcess old = procs_.at(name);
  if (old.pid > 0) {
    ::kill(old.pid, SIGKILL);
    reap(old.pid, 5s, nullptr);
  }
  std::vector<std::string> env = old.env;
  if (same_port) {
    set_var(env, "PORT", std::to_string(old.port));
    set_var(env, "METRICS_PORT", std::to_string(old.metrics_port));
    set_var(env, "ADMIN_PORT", std::to_string(old.admin_port));
  }
  // The port may linger for a moment after the kill; retry the bind briefly.
  for (int attempt = 0; attempt < 20; ++attempt) {
    if (launch(name, env, error)) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

std::string ShopCluster::log_tail(const std::string& name, int lines) const {
  std::string text = read_file(dir_ / (name + ".log"));
  size_t pos = text.size();
  for (int i = 0; i <= lines && pos != std::string::npos && pos > 0; ++i) {
    pos = text.rfind('\n', pos - 1);
  }
  return pos == std::string::npos ? text : text.substr(pos + 1);
}

HttpReply http_call(uint16_t port, const std::string& method, const std::string& target,
                    const std::string& body, const std::map<std::string, std::string>& headers,
                    std::chrono::milliseconds timeout) {
  HttpReply reply;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return reply;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return reply;
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                    "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n" + body;
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    ::close(fd);
    return reply;
  }
  std::string in;
  auto until = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::close(fd);
      return reply;  // timed out: no response
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  size_t head_end = in.find("\r\n\r\n");
  if (in.compare(0, 9, "HTTP/1.1 ") != 0 || head_end == std::string::npos) return reply;
  reply.status = std::atoi(in.c_str() + 9);
  std::istringstream head(in.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    reply.headers[key] = value;
  }
  reply.body = in.substr(head_end + 4);
  return reply;
}

std::pair<int, std::string> run_shop(const std::vector<std::string>& args) {
  std::string cmd = SHOP_BINARY;
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " 2>&1";
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (f == nullptr) return {-1, ""};
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  int status = ::pclose(f);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(50ms);
  }
}

double metric_value(const std::string& text, const std::string& metric, const std::string& labels) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.compare(0, metric.size(), metric) != 0) continue;
    char next = line.size() > metric.size() ? line[metric.size()] : '\0';
    if (next != '{' && next != ' ') continue;
    if (!labels.empty() && line.find(labels) == std::string::npos) continue;
    size_t space = line.rfind(' ');
    return std::strtod(line.c_str() + space + 1, nullptr);
  }
  return std::nan("");
}

}  // namespace shop_test
