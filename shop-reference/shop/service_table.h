// The services the `shop` binary can run, and the audit command.
#pragma once

#include <cstdint>
#include <vector>

namespace shop {

struct ServiceEntry {
  const char* name;       // the subcommand, and the name in logs and metrics
  uint16_t default_port;  // Online Boutique's port (PORT overrides)
  const char* summary;
  int (*run)();  // serves until SIGTERM; returns the exit code
};

// In the order Online Boutique lists them, plus ours.
const std::vector<ServiceEntry>& service_table();

// `shop audit DATA_DIR [--json]`: 0 clean, 1 violations found, 2 usage or unreadable data.
int run_audit_command(int argc, char** argv);

}  // namespace shop
