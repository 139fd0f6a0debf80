#include <cstdio>
#include <string>
#include <string_view>

#include "shop-reference/audit/audit.h"
#include "shop-reference/shop/service_table.h"

namespace shop {

int run_audit_command(int argc, char** argv) {
  std::string dir;
  bool json = false;
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--json") {
      json = true;
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "shop audit: unknown flag '%s'\n", argv[i]);
      return 2;
    } else if (dir.empty()) {
      dir = arg;
    } else {
      std::fprintf(stderr, "shop audit: one DATA_DIR expected, got '%s' too\n", argv[i]);
      return 2;
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: shop audit DATA_DIR [--json]\n");
    return 2;
  }
  auto report = audit(dir);
  if (!report.ok()) {
    std::fprintf(stderr, "shop audit: %s\n", report.error().message().c_str());
    return 2;
  }
  std::string text = json ? render_json(report.value()) : render_text(report.value());
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (!text.empty() && text.back() != '\n') std::fputc('\n', stdout);
  return report.value().violations.empty() ? 0 : 1;
}

}  // namespace shop
