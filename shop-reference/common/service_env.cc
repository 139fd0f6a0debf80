#include "shop-reference/common/service_env.h"

#include <unistd.h>

#include <boost/asio/ip/address.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

namespace shop {
namespace {

// An address the admin listener can bind: an IP literal, as stampede::http::Server takes it
// (no host names, no brackets). Checked here so a typo stops the start as a configuration error
// naming the variable, not later as a failed bind.
stampede::Result<std::string> ip_literal(const Env& env, std::string_view name,
                                         const std::string& fallback) {
  std::string value = env.string(name, fallback);
  boost::system::error_code ec;
  boost::asio::ip::make_address(value, ec);
  if (ec) {
    return stampede::Error(
        "environment " + std::string(name) +
        ": expected an IPv4 or IPv6 address (e.g. 127.0.0.1, 0.0.0.0, ::), got '" + value + "'");
  }
  return value;
}

}  // namespace

stampede::Result<ServiceEnv> read_service_env(const Env& env, uint16_t default_port) {
  ServiceEnv s;
  s.listen_addr = env.string("LISTEN_ADDR", s.listen_addr);
  auto port = env.integer("PORT", default_port, 0, 65535);
  if (!port.ok()) return port.error();
  auto metrics = env.integer("METRICS_PORT", s.metrics_port, 0, 65535);
  if (!metrics.ok()) return metrics.error();
  auto admin = env.integer("ADMIN_PORT", s.admin_port, 0, 65535);
  if (!admin.ok()) return admin.error();
  auto admin_addr = ip_literal(env, "ADMIN_LISTEN_ADDR", s.admin_listen_addr);
  if (!admin_addr.ok()) return admin_addr.error();
  auto delay = env.millis("SHUTDOWN_DELAY_MS", s.shutdown_delay);
  if (!delay.ok()) return delay.error();
  auto grace = env.millis("SHUTDOWN_GRACE_MS", s.shutdown_grace);
  if (!grace.ok()) return grace.error();
  auto faults = fault_spec_from_env(env);
  if (!faults.ok()) return faults.error();
  s.port = static_cast<uint16_t>(port.value());
  s.metrics_port = static_cast<uint16_t>(metrics.value());
  s.admin_port = static_cast<uint16_t>(admin.value());
  s.admin_listen_addr = admin_addr.value();
  s.admin_token = env.string("ADMIN_TOKEN", "");
  s.port_file = env.string("PORT_FILE", "");
  s.shutdown_delay = delay.value();
  s.shutdown_grace = grace.value();
  s.faults = faults.value();
  return s;
}

stampede::Status write_port_file(const std::string& path, const std::string& service, uint16_t port,
                                 uint16_t metrics_port, uint16_t admin_port) {
  nlohmann::json j = {{"service", service},
                      {"pid", static_cast<int>(::getpid())},
                      {"port", port},
                      {"metrics_port", metrics_port},
                      {"admin_port", admin_port}};
  std::string text = j.dump() + "\n";
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return stampede::Error("PORT_FILE " + path + ": " + std::strerror(errno));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return stampede::Error("PORT_FILE " + path + ": " + std::strerror(errno));
  }
  return stampede::Status::Ok();
}

}  // namespace shop
