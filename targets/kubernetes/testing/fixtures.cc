#include "targets/kubernetes/testing/fixtures.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace stampede::kube::testing {

std::string fixture_path(const std::string& name) {
  return std::string(STAMPEDE_KUBE_FIXTURES_DIR) + "/" + name;
}

std::string fixture_text(const std::string& name) {
  std::ifstream in(fixture_path(name), std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fixture %s is missing\n", fixture_path(name).c_str());
    std::abort();
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json fixture_json(const std::string& name) {
  nlohmann::json doc = nlohmann::json::parse(fixture_text(name), nullptr, false);
  if (doc.is_discarded()) {
    std::fprintf(stderr, "fixture %s is not JSON\n", name.c_str());
    std::abort();
  }
  return doc;
}

std::vector<std::string> fixture_lines(const std::string& name) {
  std::istringstream in(fixture_text(name));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace stampede::kube::testing
