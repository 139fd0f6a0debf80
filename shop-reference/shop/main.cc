// The `shop` binary: one subcommand per service, each run as its own process, plus `audit`.
//
//   shop <service>          serve (configured by environment, see shop-reference/README.md)
//   shop audit DATA_DIR     check that no payment or order was lost [--json]
//   shop list | version | help
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "shop-reference/common/server_runtime.h"
#include "shop-reference/shop/service_table.h"

namespace {

constexpr int kExitUsage = 2;

void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: shop <service>            run one service (configured by environment)\n"
               "       shop audit DATA_DIR [--json]  check orders.db and payments.db\n"
               "       shop list                 list the services\n"
               "       shop version\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return kExitUsage;
  }
  std::string_view command = argv[1];
  if (command == "help" || command == "--help" || command == "-h") {
    usage(stdout);
    return 0;
  }
  if (command == "version" || command == "--version") {
    std::printf("shop %s\n", shop::kShopServiceVersion);
    return 0;
  }
  if (command == "list") {
    for (const auto& entry : shop::service_table()) {
      std::printf("%-16s %5u  %s\n", entry.name, entry.default_port, entry.summary);
    }
    return 0;
  }
  if (command == "audit") return shop::run_audit_command(argc - 2, argv + 2);
  for (const auto& entry : shop::service_table()) {
    if (command == entry.name) {
      if (argc > 2) {
        std::fprintf(stderr, "shop %s: takes no arguments (configure it by environment)\n",
                     entry.name);
        return kExitUsage;
      }
      return entry.run();
    }
  }
  std::fprintf(stderr, "shop: unknown command '%s' (try: shop list)\n", argv[1]);
  return kExitUsage;
}
