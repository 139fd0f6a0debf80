#include "targets/local/values/values_loader.h"

#include <filesystem>

#include "targets/local/values/values_reader.h"
#include "targets/local/values/values_tree.h"

namespace stampede::local {

std::string find_chart_values(const std::string& binary_dir) {
  namespace fs = std::filesystem;
  const fs::path rel = fs::path("charts") / "shop-reference" / "values.yaml";
  std::vector<fs::path> candidates = {fs::current_path() / rel};
  if (!binary_dir.empty()) {
    candidates.push_back(fs::path(binary_dir) / rel);
    candidates.push_back(fs::path(binary_dir).parent_path() / rel);
  }
  std::error_code ec;
  for (const fs::path& p : candidates) {
    if (fs::is_regular_file(p, ec)) return fs::weakly_canonical(p, ec).string();
  }
  return "";
}

Result<YAML::Node> load_values_tree(const ValuesSources& sources) {
  auto base = load_yaml_file(sources.chart_values);
  if (!base.ok()) return base.error();
  YAML::Node tree = base.value();
  for (const std::string& file : sources.overlay_files) {
    auto overlay = load_yaml_file(file);
    if (!overlay.ok()) return overlay.error().with_context("--values");
    merge_values(tree, overlay.value());
  }
  for (const std::string& set : sources.sets) {
    if (auto s = apply_set(tree, set); !s.ok()) return s.error();
  }
  return tree;
}

Result<Values> load_values(const ValuesSources& sources) {
  auto tree = load_values_tree(sources);
  if (!tree.ok()) return tree.error();
  return read_values(tree.value());
}

}  // namespace stampede::local
